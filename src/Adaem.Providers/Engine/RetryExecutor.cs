using System.Diagnostics;
using Adaem.Core.Models;

namespace Adaem.Providers.Engine;

/// <summary>
/// The retry loop shared by the chat and embedding paths of one model: a per-attempt timeout, the
/// classification of each failure, Retry-After or jittered exponential backoff, a cap on attempts and
/// fail-fast on quota. Every failed attempt is reported to the call's <see cref="AttemptLog"/>, and every
/// wait before a retry to <see cref="Waits"/>.
/// </summary>
public sealed class RetryExecutor(string model, RetryPolicy policy, SecretScrubber scrubber, Func<TimeSpan, CancellationToken, Task> delay)
{
    public RetryPolicy Policy => policy;

    /// <summary>Told of each wait before a retry (a progress display shows it), or null.</summary>
    public ICallWaitSink? Waits { get; init; }

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, Action<T>? validate, AttemptLog? log, CancellationToken cancellationToken)
    {
        for (var n = 1; ; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log?.Started();
            var started = Stopwatch.GetTimestamp();
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(policy.Timeout);
            CallFailure failure;
            try
            {
                var result = await attempt(attemptCts.Token).ConfigureAwait(false);
                validate?.Invoke(result);
                log?.Succeeded(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return result;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = CallFailure.Classify(e, attemptCts.IsCancellationRequested, policy.FailFastOnQuota, scrubber);
            }
            if (log is not null) await log.FailedAsync(new FailedAttempt(n, failure, Stopwatch.GetElapsedTime(started).TotalMilliseconds)).ConfigureAwait(false);
            if (!failure.Retryable || n > policy.MaxRetries)
            {
                var why = failure.Retryable ? $"gave up after {n} attempt(s)" : "not retried";
                throw new ModelCallException(model, failure.Kind, n, failure.Status, $"model '{model}': {failure.Describe()} ({why})");
            }
            var wait = policy.DelayAfter(n, failure.RetryAfter, Random.Shared.NextDouble());
            Waits?.Waiting(new CallWait(model, wait, failure.RetryAfter is not null, Reason(failure), n));
            await delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What failed, in a few words, for the wait's report ("rate limited (HTTP 429)").</summary>
    private static string Reason(CallFailure failure)
    {
        var what = failure.Kind switch
        {
            ModelCallFailure.RateLimited => "rate limited",
            ModelCallFailure.ServerError => "server error",
            ModelCallFailure.Timeout => "no reply within timeout_s",
            ModelCallFailure.Connection => "server not reachable",
            ModelCallFailure.InvalidReply => "unusable reply",
            ModelCallFailure.Quota => "quota",
            _ => "failed",
        };
        return failure.Status is { } s and > 0 ? $"{what} (HTTP {s.ToString(System.Globalization.CultureInfo.InvariantCulture)})" : what;
    }
}
