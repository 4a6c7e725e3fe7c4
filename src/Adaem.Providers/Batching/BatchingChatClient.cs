using System.Diagnostics;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Batching;

/// <summary>
/// The batch layer of a model with <c>batch: true</c>, just below the ledger: calls that miss the cache are
/// collected and sent through the provider's batch API (each request's custom id is the ledger's call key),
/// and each caller gets its own answer when the batch has ended, as an ordinary reply that the ledger caches
/// and prices at the batch price. Batches and the keys they hold are in the store: a call whose key is in a
/// batch still in flight (submitted by a process that was killed, or by another one) waits for that batch
/// instead of being sent again, and one whose batch ended with its reply stored is answered from it. A request
/// the batch did not answer (an error, an expired or cancelled batch) is asked again, in a new batch or at once
/// (<see cref="BatchConfig.Retry"/>), within the model's <c>max_retries</c>. The layers below it (limits,
/// retries, provider) serve only the calls asked at once. A model with batch mode off gets this layer resume-only
/// when its endpoint has stored batches to take answers from: nothing is batched, every other call goes below.
/// </summary>
internal sealed class BatchingChatClient : DelegatingChatClient
{
    /// <summary>Response property: the id of the batch that answered the call (the ledger prices and records it as batched).</summary>
    public const string BatchIdProperty = "adaem.batch_id";

    private readonly BatchContext _context;
    private readonly RetryPolicy _policy;
    private readonly BatchQueue _queue;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BatchPoller> _pollers = new(StringComparer.Ordinal);
    private readonly bool _resumeOnly;
    private int _disposed;

    /// <param name="inner">The direct path (limits, retries, provider) for calls retried at once.</param>
    /// <param name="policy">The model's retry policy: its max_retries bounds how often a request is asked again.</param>
    /// <param name="time">The clock of the batch window and of the looks at batches in flight.</param>
    /// <param name="delay">How to wait before writing a batch to the store again (the engine's wait; tests record it).</param>
    /// <param name="resumeOnly">A model with batch off: only calls held by a stored batch (in flight, or ended with their reply
    /// stored) are taken from it; every other call, and every retry, is asked at once. Nothing is sent in a batch.</param>
    public BatchingChatClient(
        IChatClient inner,
        IBatchApi api,
        BatchConfig settings,
        ModelIdentity identity,
        IBatchStore store,
        RetryPolicy policy,
        SecretScrubber scrubber,
        TimeProvider? time = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        bool resumeOnly = false
    )
        : base(inner)
    {
        _policy = policy;
        _resumeOnly = resumeOnly;
        _context = new BatchContext(
            api,
            store,
            settings,
            identity,
            time ?? TimeProvider.System,
            scrubber,
            policy.FailFastOnQuota,
            delay ?? (static (d, ct) => Task.Delay(d, ct)),
            _closing.Token
        );
        _queue = new BatchQueue(
            _context,
            policy,
            batchId =>
            {
                lock (_gate)
                    return Register(batchId);
            }
        );
    }

    /// <summary>Calls waiting to be sent in the next batch.</summary>
    public int Waiting => _queue.Waiting;

    /// <summary>Sends the calls waiting now as a batch, without waiting for the window.</summary>
    public Task FlushAsync() => _queue.FlushAsync();

    /// <summary>Completes once <paramref name="count"/> calls wait to be sent (for tests that flush at a known moment).</summary>
    internal Task WhenWaitingAsync(int count) => _queue.WhenWaitingAsync(count);

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var log = AttemptLog.From(options);
        // Only calls the ledger makes have a key to name their request by; anything else is asked at once.
        if (log?.CallKey is not { } key)
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        if (_resumeOnly && !HeldByStoredBatch(key))
            return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            log.Started();
            var started = Stopwatch.GetTimestamp();
            var outcome =
                attempt == 1
                    ? await ResumeOrSubmitAsync(key, list, options, cancellationToken).ConfigureAwait(false)
                    : await _queue.SubmitAsync(new BatchRequest(key, list, options), cancellationToken).ConfigureAwait(false);
            var failure = outcome.Failure;
            if (outcome.Reply is { } reply)
            {
                try
                {
                    var response = await _context.Api.ReplyAsync(list, options, reply, cancellationToken).ConfigureAwait(false);
                    if (response.Messages.Count == 0 || response.Messages.All(m => m.Contents.Count == 0))
                        throw new EmptyReplyException("the batch's reply holds no message (empty choices)");
                    log.Succeeded(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    response.AdditionalProperties ??= [];
                    response.AdditionalProperties[BatchIdProperty] = outcome.BatchId;
                    return response;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = CallFailure.Classify(e, false, _policy.FailFastOnQuota, _context.Scrubber);
                    Discard(outcome.BatchId, key, failure);
                }
            }
            failure ??= BatchFailures.Missing;
            await log.FailedAsync(
                    new FailedAttempt(attempt, failure, Stopwatch.GetElapsedTime(started).TotalMilliseconds) { BatchId = outcome.BatchId }
                )
                .ConfigureAwait(false);
            if (!outcome.Resubmittable || !failure.Retryable || attempt > _policy.MaxRetries)
            {
                var why =
                    !outcome.Resubmittable ? "not sent again"
                    : failure.Retryable ? $"gave up after {attempt} attempt(s)"
                    : "not retried";
                throw new ModelCallException(
                    _context.Identity.LocalName,
                    failure.Kind,
                    attempt,
                    failure.Status,
                    $"model '{_context.Identity.LocalName}': {failure.Describe()} ({why})"
                );
            }
            if (_context.Settings.Retry == BatchConfig.RetrySync || _resumeOnly)
                return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw new NotSupportedException("the call engine does not stream: every reply is cached and recorded whole");

    /// <summary>A batched model takes a batch's worth of calls at once: stages keep that many waiting so they travel together.</summary>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ModelCapacity) && !_resumeOnly
            ? new ModelCapacity(_context.Settings.MaxRequests) { Batched = true }
            : base.GetService(serviceType, serviceKey);

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _closing.Cancel();
            // An upload stops at once; a creation under way is waited for (bounded by the model's timeout) so its batch is stored.
            _queue.Close(_policy.Timeout);
            try
            {
                // Replies the ledger now holds need not be kept twice.
                _context.Store.PruneBatchReplies();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only tidying: the replies are dropped the next time instead.
            }
            // _closing is not disposed: a creation that outlived the wait may still read its token.
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// The first attempt of a call: wait for the stored batch in flight that holds its key, or take its stored
    /// reply from an ended one; else queue it for a new batch.
    /// </summary>
    private async Task<BatchOutcome> ResumeOrSubmitAsync(
        string key,
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken ct
    )
    {
        var id = _context.Identity;
        var stored = _context.Store.FindBatchRequest(id.ProviderKind, id.Endpoint, key);
        if (stored is { Collected: false })
        {
            if (Resume(stored.BatchId).Watch(key) is { } waiting)
                return await waiting.WaitAsync(ct).ConfigureAwait(false);
            // Its results came in just now: read what was stored.
            stored = _context.Store.FindBatchRequest(id.ProviderKind, id.Endpoint, key);
        }
        if (stored is { Collected: true, Result: BatchResults.Succeeded, ResultJson: { } reply })
            return BatchOutcome.Answered(stored.BatchId, reply);
        // Resuming only: the stored batch let go of the call just now (another process dropped its reply); it is asked at once.
        if (_resumeOnly)
            return BatchOutcome.Failed(stored?.BatchId, BatchFailures.Missing);
        return await _queue.SubmitAsync(new BatchRequest(key, messages, options), ct).ConfigureAwait(false);
    }

    /// <summary>Whether a stored batch holds <paramref name="key"/>: in flight, or ended with its reply stored.</summary>
    private bool HeldByStoredBatch(string key) =>
        _context.Store.FindBatchRequest(_context.Identity.ProviderKind, _context.Identity.Endpoint, key)
            is { Collected: false }
                or { Result: BatchResults.Succeeded, ResultJson: not null };

    /// <summary>
    /// Marks the stored reply of <paramref name="key"/> that could not be read as errored and drops it, so that
    /// neither a retry nor a rerun reads it again: they send a fresh request instead.
    /// </summary>
    private void Discard(string? batchId, string key, CallFailure failure)
    {
        if (batchId is null)
            return;
        try
        {
            _context.Store.DiscardBatchReply(batchId, key, "unreadable reply: " + failure.Describe());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The retry goes ahead in this process; a rerun meets the same reply and drops it then.
        }
    }

    /// <summary>The poller of a stored batch in flight, started when this process first needs it.</summary>
    private BatchPoller Resume(string batchId)
    {
        BatchPoller poller;
        lock (_gate)
        {
            if (_pollers.TryGetValue(batchId, out var running))
                return running;
            poller = Register(batchId);
        }
        poller.Start(lookNow: true);
        return poller;
    }

    /// <summary>A new poller of <paramref name="batchId"/>, known to this layer until it stops; the caller holds the lock.</summary>
    private BatchPoller Register(string batchId)
    {
        var poller = new BatchPoller(batchId, _context);
        poller.Stopped += p =>
        {
            lock (_gate)
            {
                if (_pollers.TryGetValue(p.BatchId, out var current) && ReferenceEquals(current, p))
                    _pollers.Remove(p.BatchId);
            }
        };
        _pollers[batchId] = poller;
        return poller;
    }
}
