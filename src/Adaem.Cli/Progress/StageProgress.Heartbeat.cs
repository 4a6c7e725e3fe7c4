using System.Globalization;
using Adaem.Core.Models;

namespace Adaem.Cli.Progress;

/// <summary>
/// The part of a stage's progress that speaks when nothing finishes: the call engine's waits (a server's
/// Retry-After, a backoff), reported the moment they begin, and a heartbeat timer that says what the stage
/// is waiting on (calls in flight, waits, a store held by another process) whenever no line was shown for
/// <see cref="Heartbeat"/>. The timer comes from the stage's <see cref="TimeProvider"/>, so tests drive it
/// with a manual clock.
/// </summary>
internal abstract partial class StageProgress : ICallWaitSink
{
    /// <summary>Waits shorter than this are not announced (the first backoffs of a flaky server); the heartbeat still shows them.</summary>
    public static readonly TimeSpan ShortestAnnouncedWait = TimeSpan.FromSeconds(1);

    /// <summary>A store write that has taken this long is reported as a wait on the store.</summary>
    public static readonly TimeSpan SlowStoreWrite = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, ActiveWait> _waits = new(StringComparer.Ordinal);
    private IDisposable? _watch;
    private ITimer? _ticker;
    private Func<bool>? _storeLocked;
    private long? _lastEvent;
    private bool _disposed;

    /// <summary>Longest quiet stretch: with no line for this long, the heartbeat prints one.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Starts the heartbeat timer; it runs until the progress is disposed.</summary>
    public void StartHeartbeat()
    {
        lock (Gate)
        {
            if (_disposed || _ticker is not null)
                return;
            _ticker = _time.CreateTimer(_ => Tick(), null, Heartbeat, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Lets the heartbeat check, when no call is in flight and nothing finishes, whether another writer holds the store.</summary>
    public void WatchStore(string storePath) => WatchStore(() => StoreLockProbe.IsLocked(storePath));

    /// <param name="locked">True when the store's write lock is held elsewhere (tests pass their own answer).</param>
    public void WatchStore(Func<bool> locked)
    {
        lock (Gate)
            _storeLocked = locked;
    }

    /// <summary>A call of the engine begins to wait before its next attempt.</summary>
    public void Waiting(CallWait wait)
    {
        lock (Gate)
        {
            if (_disposed)
                return;
            var now = _time.GetTimestamp();
            var ends = now + (long)(wait.Delay.TotalSeconds * _time.TimestampFrequency);
            var resumes = _time.GetLocalNow() + wait.Delay;
            var known = _waits.TryGetValue(wait.Model, out var previous) && previous.Ends > now;
            // Parallel calls of one model that hit the same limit wait alike: one line for them, not one each.
            var news = !known || Since(previous!.Ends, ends) >= Heartbeat;
            if (!known || ends > previous!.Ends)
                _waits[wait.Model] = new ActiveWait(wait, ends, resumes);
            if (news && wait.Delay >= ShortestAnnouncedWait)
                OnWait($"{Stage}: {Describe(wait, resumes)}", now);
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            _disposed = true;
            _ticker?.Dispose();
            _watch?.Dispose();
        }
    }

    /// <summary>Shows a wait that has just begun (plain: a line; live: a line above the bars).</summary>
    protected abstract void OnWait(string text, long now);

    /// <summary>The heartbeat fired; returns how long until it should fire again.</summary>
    /// <param name="activity">What the stage is waiting on (<see cref="Activity(StageReading, long)"/>).</param>
    /// <param name="stalled">Nothing finished for a heartbeat, or a call or the store is being waited on.</param>
    protected abstract TimeSpan OnTick(StageReading reading, string activity, bool stalled, long now);

    /// <summary>
    /// What the stage is waiting on now: "16 calls in flight, nothing finished for 20 s; alpha asked to wait
    /// 60 s, resuming at 16:02:10; the store has been busy for 12 s (another process may be writing to it)".
    /// </summary>
    protected string Activity(StageReading reading, long now) => Activity(reading, now, false, out _);

    private string Activity(StageReading reading, long now, bool storeLocked, out bool stalled)
    {
        var parts = new List<string>();
        var inFlight = reading.Calls.InFlight;
        var calls = inFlight switch
        {
            0 => "no call in flight",
            1 => "1 call in flight",
            _ => string.Create(CultureInfo.InvariantCulture, $"{inFlight:N0} calls in flight"),
        };
        var quiet = Since(_lastEvent ?? _started, now);
        stalled = quiet >= Heartbeat;
        if (stalled)
            calls += $", nothing finished for {Elapsed(quiet)}";
        parts.Add(calls);
        foreach (var (model, w) in _waits.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (w.Ends <= now)
                continue;
            parts.Add(Describe(w.Wait, w.Resumes));
            stalled = true;
        }
        if (_calls?.StoreWriteWaiting is { } store && store >= SlowStoreWrite)
        {
            parts.Add($"the store has been busy for {Elapsed(store)} (another process may be writing to it)");
            stalled = true;
        }
        else if (storeLocked)
        {
            parts.Add("the store is locked by another writer (another adaem process?); waiting for it");
            stalled = true;
        }
        return string.Join("; ", parts);
    }

    private void Tick()
    {
        // The store is probed outside the lock: the probe may take up to a second, and workers report meanwhile.
        Func<bool>? probe;
        lock (Gate)
        {
            if (_disposed)
                return;
            var quiet = Since(_lastEvent ?? _started, _time.GetTimestamp());
            probe = quiet >= Heartbeat / 2 && (_calls?.Total().InFlight ?? 0) == 0 ? _storeLocked : null;
        }
        var locked = probe is not null && Probe(probe);
        lock (Gate)
        {
            if (_disposed)
                return;
            var now = _time.GetTimestamp();
            var reading = Read(_phases.Count == 0 ? null : _phases[^1], now);
            foreach (var model in _waits.Where(kv => kv.Value.Ends <= now).Select(kv => kv.Key).ToList())
                _waits.Remove(model);
            var activity = Activity(reading, now, locked, out var stalled);
            var next = OnTick(reading, activity, stalled, now);
            _ticker?.Change(next > TimeSpan.Zero ? next : Heartbeat, Timeout.InfiniteTimeSpan);
        }
    }

    private static bool Probe(Func<bool> probe)
    {
        try
        {
            return probe();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false; // a store that cannot be probed is not reported as locked
        }
    }

    /// <summary>"alpha asked to wait 60 s, resuming at 16:02:10" or "alpha: server error (HTTP 503) on attempt 2, retrying in 4 s at
    /// 16:02:10".</summary>
    private static string Describe(CallWait wait, DateTimeOffset resumes)
    {
        var at = resumes.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return wait.ServerAsked
            ? $"{wait.Model} asked to wait {Seconds(wait.Delay)}, resuming at {at}"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{wait.Model}: {wait.Reason} on attempt {wait.Attempt}, retrying in {Seconds(wait.Delay)} at {at}"
            );
    }

    /// <summary>Whole seconds gone by, rounded down.</summary>
    private static string Elapsed(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Floor(Math.Max(0, t.TotalSeconds)):N0} s");

    /// <summary>Whole seconds of a wait, rounded up: a wait of 0.4 s is "1 s", never "0 s".</summary>
    private static string Seconds(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Ceiling(Math.Max(0, t.TotalSeconds)):N0} s");

    private sealed record ActiveWait(CallWait Wait, long Ends, DateTimeOffset Resumes);
}
