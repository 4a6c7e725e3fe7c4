namespace Adaem.Providers.Engine;

/// <summary>
/// How the single retry layer of one model behaves. There is exactly one: provider SDKs are built with
/// their own retries switched off, so attempts, backoff and the ledger rows of failed attempts all
/// come from here.
/// </summary>
internal sealed record RetryPolicy
{
    /// <summary>Retries after the first attempt (max_retries); the provider is asked at most MaxRetries + 1 times.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Per-attempt timeout (timeout_s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A Retry-After longer than this is cut to it, so one odd header cannot park a run for hours.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Stop at the first quota error instead of retrying it (fail_fast_on_quota).</summary>
    public bool FailFastOnQuota { get; init; } = true;

    /// <summary>
    /// Exponential backoff with "equal jitter": half the capped exponential delay plus a random part of
    /// the other half, so parallel callers that failed together do not retry together.
    /// </summary>
    public TimeSpan Backoff(int failedAttempt, double random01)
    {
        var exp = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        var cap = Math.Min(MaxDelay.TotalMilliseconds, exp);
        return TimeSpan.FromMilliseconds(cap / 2 + random01 * cap / 2);
    }

    /// <summary>The wait before the next attempt: the server's Retry-After when it sent one, else backoff.</summary>
    public TimeSpan DelayAfter(int failedAttempt, TimeSpan? retryAfter, double random01) =>
        retryAfter is { } ra
            ? (
                ra < TimeSpan.Zero ? TimeSpan.Zero
                : ra > MaxRetryAfter ? MaxRetryAfter
                : ra
            )
            : Backoff(failedAttempt, random01);
}
