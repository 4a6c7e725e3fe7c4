using System.Diagnostics;
using Adaem.Core.Models;

namespace Adaem.Providers.Engine;

/// <summary>
/// The retry loop shared by the chat and embedding paths of one model: a per-attempt timeout, the
/// classification of each failure, Retry-After or jittered exponential backoff, a cap on attempts and
/// fail-fast on quota. Every failed attempt is reported to the call's <see cref="AttemptLog"/>.
/// </summary>
public sealed class RetryExecutor(string model, RetryPolicy policy, SecretScrubber scrubber, Func<TimeSpan, CancellationToken, Task> delay)
{
    public RetryPolicy Policy => policy;

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
            await delay(policy.DelayAfter(n, failure.RetryAfter, Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
        }
    }
}
