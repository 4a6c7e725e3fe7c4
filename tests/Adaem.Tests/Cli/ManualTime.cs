using Adaem.Core.Models;

namespace Adaem.Tests.Cli;

/// <summary>
/// A clock that moves only when the test says so, so progress timing is exact and needs no waiting. Its
/// timers fire inside <see cref="Advance"/>, at their due times and in order, on the test's own thread.
/// Local time is UTC, starting at <see cref="Start"/>.
/// </summary>
internal sealed class ManualTime : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 16, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => Start.AddTicks(GetTimestamp());

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Timers not disposed yet (a test checks that a stage stops its heartbeat).</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
                return _timers.Count(t => t.Due is not null);
        }
    }

    public void Advance(TimeSpan by)
    {
        var target = Interlocked.Read(ref _ticks) + by.Ticks;
        while (true)
        {
            Timer? next;
            lock (_gate)
                next = _timers.Where(t => t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
            if (next is null)
                break;
            Interlocked.Exchange(ref _ticks, Math.Max(Interlocked.Read(ref _ticks), next.Due!.Value));
            next.Fire();
        }
        Interlocked.Exchange(ref _ticks, target);
    }

    private sealed class Timer(ManualTime time, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; private set; }
        private long _period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (time._gate)
            {
                if (!time._timers.Contains(this))
                    time._timers.Add(this);
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : time.GetTimestamp() + dueTime.Ticks;
                _period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }
            return true;
        }

        public void Fire()
        {
            lock (time._gate)
                Due = _period > 0 ? Due + _period : null;
            callback(state);
        }

        public void Dispose()
        {
            lock (time._gate)
            {
                Due = null;
                time._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Call counters a test sets by hand (the real ones are the model pool's CallCounters).</summary>
internal sealed class FixedCalls : ICallStatistics
{
    public CallCount Now { get; set; } = CallCount.None;

    /// <summary>What <see cref="ICallStatistics.StoreWriteWaiting"/> reports.</summary>
    public TimeSpan? StoreWait { get; set; }

    public CallCount Total(string? stage = null) => Now;

    public TimeSpan? StoreWriteWaiting => StoreWait;
}
