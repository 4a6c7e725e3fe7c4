namespace Adaem.Storage;

/// <summary>Who this process is, as leases and claims on calls in flight name it.</summary>
public static class ProcessIdentity
{
    /// <summary>Unique to this process (a pid alone is reused): a lease or claim with this token is this process's own.</summary>
    public static string Token { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}";
    public static int Pid => Environment.ProcessId;
    public static string Host => Environment.MachineName;
}

/// <summary>One row of run_leases: the process that writes a run.</summary>
public sealed record LeaseHolder
{
    public string Run { get; init; } = "";
    public long Pid { get; init; }
    public string Host { get; init; } = "";
    public string Command { get; init; } = "";
    public string Token { get; init; } = "";
    public string StartedAt { get; init; } = "";
    public string HeartbeatAt { get; init; } = "";

    public TimeSpan SinceHeartbeat(DateTimeOffset now) => now - StoreTime.Parse(HeartbeatAt);

    /// <summary>
    /// Why the holder is presumed dead, or null while it is alive: its heartbeat is stale, or it ran on this
    /// host and its process is gone (killed, or it could not release the lease on a full disk), which needs
    /// no waiting. A pid that exists may be another process by now; then only the heartbeat decides.
    /// </summary>
    public string? Abandoned(DateTimeOffset now, LeaseTiming timing)
    {
        if (timing.IsStale(HeartbeatAt, now))
            return $"no heartbeat for more than {(int)timing.StaleAfter.TotalSeconds} s";
        if (Host == ProcessIdentity.Host && Pid != ProcessIdentity.Pid && !Running(Pid))
            return $"process {Pid} is no longer running on {Host}";
        return null;
    }

    private static bool Running(long pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById((int)pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>"pid 4242 on HOST ('adaem evaluate', since 2025-…Z, last heartbeat 3 s ago)".</summary>
    public string Describe(DateTimeOffset now) =>
        $"pid {Pid} on {Host} ('adaem {Command}', since {StartedAt}, last heartbeat {StoreTime.Ago(SinceHeartbeat(now))})";
}

/// <summary>
/// This process's right to write one run: a row in run_leases that a background timer keeps beating and
/// that <see cref="Dispose"/> removes (also on Ctrl-C and on failure, through using). Another process
/// that finds the row fresh stops; one that finds it stale (its holder was killed) takes it over.
/// A lease taken again by the process that holds it (adaem run calls its stages in-process) is
/// re-entered: <see cref="Owned"/> is false and disposing it leaves the outer lease in place.
/// </summary>
public sealed class RunLease : IDisposable, IAsyncDisposable
{
    private readonly AdaemStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;
    private int _disposed;

    internal RunLease(AdaemStore store, string run, string token, bool owned, LeaseHolder? takenOver, LeaseTiming timing)
    {
        _store = store;
        Run = run;
        Token = token;
        Owned = owned;
        TakenOver = takenOver;
        Timing = timing;
        _beating = owned ? Task.Run(BeatAsync) : Task.CompletedTask;
    }

    public string Run { get; }
    public string Token { get; }

    /// <summary>False when this process already held the run's lease; then this one changes nothing.</summary>
    public bool Owned { get; }

    /// <summary>The stale holder this lease replaced, if any (for the "taking it over" message).</summary>
    public LeaseHolder? TakenOver { get; }
    public LeaseTiming Timing { get; }

    /// <summary>True once a heartbeat found the row gone or someone else's: this process was presumed dead.</summary>
    public bool Lost { get; private set; }

    private async Task BeatAsync()
    {
        using var timer = new PeriodicTimer(Timing.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    if (!_store.HeartbeatLease(Run, Token))
                        Lost = true;
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                {
                    // A busy or full store: the next beat tries again; six missed beats make the lease stale.
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Cancel();
        _beating.GetAwaiter().GetResult();
        Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _beating.ConfigureAwait(false);
        Release();
    }

    private void Release()
    {
        _stop.Dispose();
        if (!Owned)
            return;
        try
        {
            _store.ReleaseLease(Run, Token);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            // The store cannot be written (full, read-only): the row goes stale and the next command takes it over.
        }
    }
}

/// <summary>Another live process holds the run's lease (exit 2: the user's situation, not a failure of this run).</summary>
public sealed class RunLeaseHeldException(string storePath, LeaseHolder holder, LeaseTiming timing, DateTimeOffset now)
    : Exception(
        $"run '{holder.Run}' in {storePath} is in use by another adaem process: {holder.Describe(now)}. "
            + $"Fix: wait until it finishes, or use another --run NAME. If that process is gone (killed on another machine), its lease is taken over once its last heartbeat is {(int)timing.StaleAfter.TotalSeconds} s old."
    )
{
    public string StorePath { get; } = storePath;
    public LeaseHolder Holder { get; } = holder;
}
