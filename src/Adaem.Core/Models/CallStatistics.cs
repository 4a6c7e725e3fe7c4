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
}
