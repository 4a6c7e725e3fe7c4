using System.Threading.Channels;
using Adaem.Storage;

namespace Adaem.Providers.Engine;

/// <summary>
/// The one writer of ledger rows and claims on calls in flight in this process. Calls hand their rows
/// (and claims) over and wait until they are committed (so a caller that has its answer knows it is in
/// the store); a dedicated thread commits whatever has queued up in one transaction. One writer means
/// no SQLite lock contention (and no busy-wait sleeps) between parallel calls, and blocking writes never
/// occupy thread-pool threads that HTTP completions need. While this writer holds claims, a timer beats
/// them, so other processes waiting on those calls know this one is alive.
/// </summary>
public sealed class LedgerWriter : IDisposable
{
    private const int MaxBatch = 512;

    private readonly AdaemStore _store;

    // Synchronous continuations: the writer thread, blocked waiting for work, is woken by the caller that queues it, not by a
    // thread-pool work item that waits its turn behind hundreds of replies being read (measured: 0.1-0.3 s at a burst of 256).
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true }
    );
    private readonly Thread _thread;
    private readonly Timer _heartbeat;
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    private readonly CallCounters? _counters;

    /// <param name="counters">Told when each store write begins and ends, so a progress display can tell a locked store.</param>
    public LedgerWriter(AdaemStore store, CallCounters? counters = null, LeaseTiming? timing = null, string? token = null)
    {
        _store = store;
        _counters = counters;
        Timing = timing ?? LeaseTiming.Default;
        Token = token ?? ProcessIdentity.Token;
        _thread = new Thread(Loop) { IsBackground = true, Name = "adaem ledger writer" };
        _thread.Start();
        _heartbeat = new Timer(_ => Beat(), null, Timing.Heartbeat, Timing.Heartbeat);
    }

    /// <summary>Whose claims these are: this process's token unless a test says otherwise.</summary>
    public string Token { get; }
    public LeaseTiming Timing { get; }

    /// <summary>Completes when the row is committed; faults when the write failed. <paramref name="releaseClaim"/> drops this writer's
    /// claim on the key in the same commit.</summary>
    public Task WriteAsync(ModelCallRecord record, bool releaseClaim = false) =>
        Enqueue(new Pending(record, releaseClaim ? record.Key : null, null));

    /// <summary>Claims <paramref name="keys"/> for this writer: each is claimed, already cached, or held by another live process.</summary>
    public async Task<IReadOnlyList<CallClaim>> ClaimAsync(IReadOnlyList<string> keys)
    {
        var pending = new Pending(null, null, keys);
        await Enqueue(pending).ConfigureAwait(false);
        return pending.Claims!;
    }

    /// <summary>Drops this writer's claim on <paramref name="key"/> (after the call failed or was abandoned); does not wait.</summary>
    public void Release(string key) => _ = Enqueue(new Pending(null, key, null));

    /// <summary>Writes what is queued, releases the claims still held, and stops the writer thread.</summary>
    public void Dispose()
    {
        _heartbeat.Dispose();
        string[] left;
        lock (_claimed)
            left = [.. _claimed];
        foreach (var key in left)
            Release(key);
        _queue.Writer.TryComplete();
        _thread.Join();
    }

    private Task Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
            pending.Done.SetException(
                new ObjectDisposedException(nameof(LedgerWriter), "the model pool was disposed; the call was not recorded")
            );
        return pending.Done.Task;
    }

    private void Beat()
    {
        lock (_claimed)
        {
            if (_claimed.Count == 0)
                return;
        }
        _queue.Writer.TryWrite(new Pending(null, null, null) { Heartbeat = true });
    }

    private void Loop()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var p))
                batch.Add(p);
            Exception? failed = null;
            _counters?.StoreWrite(started: true);
            try
            {
                var claims = _store.ApplyLedgerBatch(
                    new LedgerBatch
                    {
                        Records = [.. batch.Where(p => p.Record is not null).Select(p => p.Record!)],
                        Releases = [.. batch.Where(p => p.Release is not null).Select(p => p.Release!)],
                        Claims = [.. batch.Where(p => p.Keys is not null).SelectMany(p => p.Keys!)],
                        Heartbeat = batch.Any(p => p.Heartbeat),
                        Token = Token,
                        Timing = Timing,
                    }
                );
                Track(batch, claims);
            }
            catch (Exception e)
            {
                failed = e;
            }
            finally
            {
                // Before anyone is told: a caller that has its answer sees no store write under way.
                _counters?.StoreWrite(started: false);
            }
            foreach (var p in batch)
            {
                if (failed is null)
                    p.Done.TrySetResult();
                else
                    p.Done.TrySetException(failed);
            }
            batch.Clear();
        }
    }

    /// <summary>Hands each claimer its outcomes (claims come back in queue order) and keeps the set of keys this writer holds.</summary>
    private void Track(List<Pending> batch, IReadOnlyList<CallClaim> claims)
    {
        var next = 0;
        lock (_claimed)
        {
            foreach (var p in batch)
            {
                if (p.Release is not null)
                    _claimed.Remove(p.Release);
                if (p.Keys is null)
                    continue;
                p.Claims = claims.Skip(next).Take(p.Keys.Count).ToList();
                next += p.Keys.Count;
                foreach (var c in p.Claims.Where(c => c.State == ClaimState.Claimed))
                    _claimed.Add(c.Key);
            }
        }
    }

    private sealed record Pending(ModelCallRecord? Record, string? Release, IReadOnlyList<string>? Keys)
    {
        public bool Heartbeat { get; init; }
        public IReadOnlyList<CallClaim>? Claims { get; set; }
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
