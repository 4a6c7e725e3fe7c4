using Adaem.Core.Models;
using Adaem.Providers.Engine;

namespace Adaem.Providers.Batching;

/// <summary>
/// Watches one batch in flight: looks at it every poll interval, keeps its state in the store, and once it has
/// ended reads its results, stores every request's outcome (with the reply) and hands each waiting call its own.
/// A look that fails for a passing reason (a 5xx, a timeout, no connection) is simply repeated at the next
/// interval: the batch is safe at the provider meanwhile. A look the provider refuses (a bad key) fails the
/// waiting calls without resubmitting them, so a rerun waits for the same batch. So does a look answered with
/// 404: batches belong to the project (OpenAI) or workspace (Anthropic) whose key created them, so a key of
/// another one does not see a batch that is still running; sending its requests again would pay for them twice.
/// </summary>
internal sealed class BatchPoller
{
    private readonly string _batchId;
    private readonly BatchContext _context;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<TaskCompletionSource<BatchOutcome>>> _waiting = new(StringComparer.Ordinal);
    private bool _done;

    // Set when the store refused to record the batch: the keys to record it with at the next look, and why it is not stored.
    private IReadOnlyCollection<string> _keys = [];
    private volatile string? _unrecorded;

    public BatchPoller(string batchId, BatchContext context)
    {
        _batchId = batchId;
        _context = context;
    }

    public string BatchId => _batchId;

    /// <summary>Raised once the poller has stopped (its results handed out, or its waiting calls failed).</summary>
    public event Action<BatchPoller>? Stopped;

    /// <summary>The outcome of <paramref name="key"/> once the batch has ended; null when this poller has stopped (read the store
    /// instead).</summary>
    public Task<BatchOutcome>? Watch(string key)
    {
        lock (_gate)
        {
            if (_done)
                return null;
            var tcs = new TaskCompletionSource<BatchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiting.TryGetValue(key, out var list))
                _waiting[key] = list = [];
            list.Add(tcs);
            return tcs.Task;
        }
    }

    /// <summary>
    /// The store refused to record this batch (<paramref name="why"/> names it): it is watched in memory, each look
    /// tries to record it again, and until one does, store writes about it may fail without failing its calls,
    /// whose failures carry <paramref name="why"/> (a rerun would not find the batch). Call before <see cref="Start"/>.
    /// </summary>
    public void WatchUnrecorded(IReadOnlyCollection<string> keys, string why)
    {
        _keys = keys;
        _unrecorded = why;
    }

    /// <summary>Starts looking: at once for a batch found in the store, after one interval for one just submitted.</summary>
    public void Start(bool lookNow) => _ = Task.Run(() => RunAsync(lookNow));

    private async Task RunAsync(bool lookNow)
    {
        var ct = _context.Closing;
        try
        {
            var first = true;
            while (true)
            {
                if (!(first && lookNow))
                    await Task.Delay(_context.Settings.PollInterval, _context.Time, ct).ConfigureAwait(false);
                first = false;
                BatchStatus status;
                try
                {
                    status = await _context.Api.StatusAsync(_batchId, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && Classify(e) is var failure)
                {
                    if (failure.Status == 404)
                    {
                        Fail(Unknown(failure));
                        return;
                    }
                    if (failure.Retryable)
                        continue;
                    Fail(failure);
                    return;
                }
                Record();
                Write(() => _context.Store.UpdateBatch(_batchId, status.State, status.Requests, status.Succeeded, status.Failed));
                if (!status.Ended)
                    continue;

                IReadOnlyList<BatchLineResult> results;
                try
                {
                    results = status.Failure is null ? await _context.Api.ResultsAsync(status, ct).ConfigureAwait(false) : [];
                }
                catch (Exception e) when (!ct.IsCancellationRequested && Classify(e) is var failure)
                {
                    if (failure.Retryable)
                        continue;
                    Fail(failure);
                    return;
                }
                Finish(status.State, results, status.Failure);
                return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Fail(null);
        }
        catch (Exception e)
        {
            // The store could not be written (full disk, a lock held too long): the waiting calls fail with the cause.
            Stop(tcs => tcs.TrySetException(e));
        }
    }

    /// <summary>
    /// Stores every request's outcome and hands them out. A batch that failed as a whole (OpenAI's validation)
    /// fails its requests with its reason, as rejected requests (asking again would fail the same way).
    /// </summary>
    private void Finish(string state, IReadOnlyList<BatchLineResult> results, string? batchFailure)
    {
        var scrub = _context.Scrubber;
        var byKey = new Dictionary<string, BatchLineResult>(StringComparer.Ordinal);
        foreach (var r in results)
            byKey[r.CustomId] = r;
        var outcomes = byKey
            .Values.Select(r => new BatchRequestOutcome(
                r.CustomId,
                r.Result,
                r.Result == BatchResults.Succeeded ? null : scrub.Scrub(BatchFailures.Describe(r.Status, r.Error)),
                r.Result == BatchResults.Succeeded ? r.Reply : null
            ))
            .ToList();
        Write(() => _context.Store.CollectBatch(_batchId, state, outcomes));

        Stop(
            tcs => { },
            key =>
            {
                if (batchFailure is not null)
                    return BatchOutcome.Failed(
                        _batchId,
                        new CallFailure(ModelCallFailure.Rejected, null, null, scrub.Scrub("the batch failed: " + batchFailure)),
                        resubmittable: false
                    );
                if (!byKey.TryGetValue(key, out var r))
                    return BatchOutcome.Failed(_batchId, BatchFailures.Missing);
                if (r.Result == BatchResults.Succeeded && r.Reply is not null)
                    return BatchOutcome.Answered(_batchId, r.Reply);
                return BatchOutcome.Failed(
                    _batchId,
                    BatchFailures.Of(r.Result, r.Status, r.Error is null ? null : scrub.Scrub(r.Error), _context.FailFastOnQuota)
                );
            }
        );
    }

    /// <summary>The waiting calls fail without being resubmitted: the batch may still answer them (a rerun waits for it); null = the
    /// process is closing.</summary>
    private void Fail(CallFailure? failure)
    {
        if (failure is null)
        {
            Stop(tcs => tcs.TrySetCanceled());
            return;
        }
        var because = failure with
        {
            Message = _unrecorded is { } why
                ? $"the batch {_batchId} could not be looked at: {failure.Message}; {why}"
                : $"the batch {_batchId} could not be looked at: {failure.Message}; it stays in the store, and a rerun waits for it",
        };
        Stop(tcs => { }, _ => BatchOutcome.Failed(_batchId, because, resubmittable: false));
    }

    /// <summary>
    /// A 404 on a look, as a key failure: the usual cause is a key of another project or workspace than the one
    /// that created the batch, which the stages stop on like any refused key.
    /// </summary>
    private static CallFailure Unknown(CallFailure failure) =>
        new(
            ModelCallFailure.Unauthorized,
            404,
            null,
            "HTTP 404: the provider does not know it with this key; a batch is seen only with a key of the project (OpenAI; Azure: the "
                + "resource) or workspace (Anthropic) that created it: rerun with that key, or see docs/batch.md (Failures) to give the batch "
                + $"up; provider said: {failure.Message}"
        );

    /// <summary>Tries once more to record a batch the store refused when it was accepted.</summary>
    private void Record()
    {
        if (_unrecorded is null)
            return;
        try
        {
            _context.Store.AddBatch(_context.Describe(_batchId, "in_progress", _keys.Count), _keys);
            _unrecorded = null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Still refused: the batch stays watched in memory.
        }
    }

    /// <summary>A store write about this batch; one about a batch the store does not hold may fail (the calls are answered from
    /// memory).</summary>
    private void Write(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (_unrecorded is not null && e is not OutOfMemoryException)
        {
            // Nothing to keep: the store has no row of this batch.
        }
    }

    private void Stop(Action<TaskCompletionSource<BatchOutcome>> each, Func<string, BatchOutcome>? outcome = null)
    {
        List<KeyValuePair<string, List<TaskCompletionSource<BatchOutcome>>>> waiting;
        lock (_gate)
        {
            _done = true;
            waiting = [.. _waiting];
            _waiting.Clear();
        }
        Stopped?.Invoke(this);
        foreach (var (key, list) in waiting)
        {
            var o = outcome?.Invoke(key);
            foreach (var tcs in list)
            {
                if (o is not null)
                    tcs.TrySetResult(o);
                else
                    each(tcs);
            }
        }
    }

    private CallFailure Classify(Exception e) => CallFailure.Classify(e, false, _context.FailFastOnQuota, _context.Scrubber);
}
