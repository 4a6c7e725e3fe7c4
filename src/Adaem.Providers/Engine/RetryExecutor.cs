using System.Diagnostics;
using Adaem.Core.Models;

namespace Adaem.Providers.Engine;

/// <summary>
/// The retry loop shared by the chat and embedding paths of one model: a per-attempt timeout, the
/// classification of each failure, Retry-After or jittered exponential backoff, a cap on attempts and
/// fail-fast on quota. Every failed attempt is reported to the call's <see cref="AttemptLog"/>, and every
/// wait before a retry to <see cref="Waits"/>.
/// </summary>
internal sealed class RetryExecutor(
    string model,
    RetryPolicy policy,
    SecretScrubber scrubber,
    Func<TimeSpan, CancellationToken, Task> delay
)
{
    public RetryPolicy Policy => policy;

    /// <summary>Told of each wait before a retry (a progress display shows it), or null.</summary>
    public ICallWaitSink? Waits { get; init; }

    public Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> attempt,
        Action<T>? validate,
        AttemptLog? log,
        CancellationToken cancellationToken
    ) =>
        RunAsync<IDisposable?, T>(
            static _ => ValueTask.FromResult<IDisposable?>(null),
            (_, ct) => attempt(ct),
            validate,
            log,
            null,
            cancellationToken
        );

    /// <summary>
    /// The retry loop with an admission step before each attempt, outside the attempt's timeout: the replica
    /// router chooses a server there and waits for that server's limits, so time spent queueing is never taken
    /// for a server that does not answer. The admission is disposed when its attempt ends.
    /// </summary>
    /// <param name="admit">Runs before each attempt; what it returns is handed to the attempt and disposed after it.</param>
    /// <param name="retryAtOnce">Given a failure, true when the next attempt can start without a backoff (it goes to
    /// another server that has not failed this call); null always backs off.</param>
    public async Task<T> RunAsync<TAdmission, T>(
        Func<CancellationToken, ValueTask<TAdmission>> admit,
        Func<TAdmission, CancellationToken, Task<T>> attempt,
        Action<T>? validate,
        AttemptLog? log,
        Func<CallFailure, bool>? retryAtOnce,
        CancellationToken cancellationToken
    )
        where TAdmission : IDisposable?
    {
        for (var n = 1; ; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var admission = await admit(cancellationToken).ConfigureAwait(false);
            CallFailure failure;
            var started = Stopwatch.GetTimestamp();
            try
            {
                log?.Started();
                using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptCts.CancelAfter(policy.Timeout);
                try
                {
                    var result = await attempt(admission, attemptCts.Token).ConfigureAwait(false);
                    validate?.Invoke(result);
                    log?.Succeeded(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return result;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = CallFailure.Classify(e, attemptCts.IsCancellationRequested, policy.FailFastOnQuota, scrubber);
                }
            }
            finally
            {
                admission?.Dispose();
            }
            if (log is not null)
                await log.FailedAsync(new FailedAttempt(n, failure, Stopwatch.GetElapsedTime(started).TotalMilliseconds))
                    .ConfigureAwait(false);
            if (!failure.Retryable || n > policy.MaxRetries)
            {
                var why = failure.Retryable ? $"gave up after {n} attempt(s)" : "not retried";
                throw new ModelCallException(model, failure.Kind, n, failure.Status, $"model '{model}': {failure.Describe()} ({why})");
            }
            if (retryAtOnce?.Invoke(failure) == true)
                continue;
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
