using Adaem.Core.Models;

namespace Adaem.Tests.Cli;

/// <summary>A clock that moves only when the test says so, so progress timing is exact and needs no waiting.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>Call counters a test sets by hand (the real ones are the model pool's CallCounters).</summary>
internal sealed class FixedCalls : ICallStatistics
{
    public CallCount Now { get; set; } = CallCount.None;

    public CallCount Total(string? stage = null) => Now;
}
