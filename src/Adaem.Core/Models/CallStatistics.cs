namespace Adaem.Core.Models;

/// <summary>What the call engine did so far for one stage and model (or a sum of them), for progress display.</summary>
public sealed record CallCount
{
    public string Stage { get; init; } = "";
    public string Model { get; init; } = "";

    /// <summary>Answers served from the durable cache (or joined to an identical call in flight).</summary>
    public long CacheHits { get; init; }

    /// <summary>Calls that reached the provider and came back with an answer.</summary>
    public long Calls { get; init; }

    /// <summary>Calls that ended in an error after their retries.</summary>
    public long Failures { get; init; }

    /// <summary>Failed attempts, including those a retry later recovered from.</summary>
    public long FailedAttempts { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>USD of the calls made; null when any of them had no known price.</summary>
    public double? Cost { get; init; }

    /// <summary>USD of the calls made that had a known price (a lower bound when <see cref="UnpricedCalls"/> &gt; 0).</summary>
    public double KnownCost { get; init; }
    public long UnpricedCalls { get; init; }

    /// <summary>Calls asked of a provider and not back yet (waiting for a limit, a retry or the reply).</summary>
    public long InFlight { get; init; }

    public static CallCount None { get; } = new() { Cost = 0 };
}

/// <summary>
/// A live view of the call engine's counters. Progress displays read it; they need not know where the
/// numbers come from (the model pool of Adaem.Providers, or a fake in tests).
/// </summary>
public interface ICallStatistics
{
    /// <summary>The sum over models of one stage (all stages when null), as of now.</summary>
    CallCount Total(string? stage = null);

    /// <summary>
    /// How long the engine's current write of finished calls to the store has taken so far (null when none is
    /// under way). A long one means the store is locked, usually by another process writing to it.
    /// </summary>
    TimeSpan? StoreWriteWaiting => null;

    /// <summary>Reports the engine's waits (Retry-After, backoff) to <paramref name="sink"/> until the result is disposed.</summary>
    IDisposable WatchWaits(ICallWaitSink sink) => NoWatch.Instance;

    private sealed class NoWatch : IDisposable
    {
        public static readonly NoWatch Instance = new();

        public void Dispose() { }
    }
}
