using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Batching;

/// <summary>One call waiting to be sent in a batch.</summary>
internal sealed record BatchRequest(string Key, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public TaskCompletionSource<BatchOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Collects calls and sends them as batches: as soon as <see cref="BatchConfig.MaxRequests"/> are waiting, or
/// when no new call has come for <see cref="BatchConfig.Window"/> (a timer of the layer's clock), or on
/// <see cref="FlushAsync"/>. A batch is recorded in the store, with its call keys, the moment the provider has
/// accepted it; then a <see cref="BatchPoller"/> watches it and answers the calls.
/// </summary>
internal sealed class BatchQueue : IDisposable
{
    /// <summary>A batch file stays below this (OpenAI and Azure take 200 MB, Anthropic 256 MB).</summary>
    internal const long MaxBytes = 100L * 1024 * 1024;

    /// <summary>Writes of an accepted batch to the store before it is only watched in memory.</summary>
    internal const int RecordAttempts = 4;

    private readonly BatchContext _context;
    private readonly RetryPolicy _policy;
    private readonly Func<string, BatchPoller> _newPoller;
    private readonly Lock _gate = new();
    private readonly List<BatchRequest> _waiting = [];
    private readonly ITimer _window;
    private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];
    private readonly HashSet<Task> _sending = [];
    private bool _closed;

    /// <param name="policy">The model's retry policy: its backoff spaces the attempts to record an accepted batch.</param>
    /// <param name="newPoller">Makes (and registers) the poller of a batch just submitted; the queue starts it.</param>
    public BatchQueue(BatchContext context, RetryPolicy policy, Func<string, BatchPoller> newPoller)
    {
        _context = context;
        _policy = policy;
        _newPoller = newPoller;
        _window = context.Time.CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Calls waiting to be sent.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiting.Count;
        }
    }

    /// <summary>Queues a call; completes with its outcome once its batch has ended (or its sending failed).</summary>
    public async Task<BatchOutcome> SubmitAsync(BatchRequest request, CancellationToken cancellationToken)
    {
        List<BatchRequest>? full = null;
        lock (_gate)
        {
            if (_closed)
                throw new ObjectDisposedException(nameof(BatchQueue), "the model pool was closed; the call was not sent");
            _waiting.Add(request);
            if (_waiting.Count >= _context.Settings.MaxRequests)
                full = Take();
            else
                _window.Change(_context.Settings.Window, Timeout.InfiniteTimeSpan);
            Notify();
        }
        if (full is not null)
            _ = Send(full);
        using var withdraw = cancellationToken.Register(() =>
        {
            bool removed;
            lock (_gate)
                removed = _waiting.Remove(request);
            if (removed)
                request.Outcome.TrySetCanceled(cancellationToken);
        });
        return await request.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is waiting now, without waiting for the window; completes when it has been submitted (or failed to
    /// be).</summary>
    public Task FlushAsync()
    {
        List<BatchRequest> all;
        lock (_gate)
            all = Take();
        return all.Count == 0 ? Task.CompletedTask : Send(all);
    }

    /// <summary>Completes once at least <paramref name="count"/> calls are waiting to be sent (tests flush at a known moment with
    /// it).</summary>
    internal Task WhenWaitingAsync(int count)
    {
        lock (_gate)
        {
            if (_waiting.Count >= count)
                return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((count, tcs));
            return tcs.Task;
        }
    }

    /// <summary>
    /// Cancels the calls not sent yet and waits (up to <paramref name="submitting"/>) for batches being created,
    /// so that a batch the provider accepted is in the store before the process ends.
    /// </summary>
    public void Close(TimeSpan submitting)
    {
        List<BatchRequest> left;
        lock (_gate)
        {
            left = Take();
            _closed = true;
            _window.Dispose();
        }
        foreach (var r in left)
            r.Outcome.TrySetCanceled();
        Task[] sending;
        lock (_sending)
            sending = [.. _sending];
        try
        {
            Task.WaitAll(sending, submitting);
        }
        catch (AggregateException)
        {
            // Their failures went to their calls.
        }
    }

    public void Dispose() => Close(TimeSpan.Zero);

    private void Flush() => _ = FlushAsync();

    private List<BatchRequest> Take()
    {
        var taken = _waiting.ToList();
        _waiting.Clear();
        if (!_closed)
            _window.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return taken;
    }

    private void Notify()
    {
        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            if (_waiting.Count < _watchers[i].Count)
                continue;
            _watchers[i].Reached.TrySetResult();
            _watchers.RemoveAt(i);
        }
    }

    private Task Send(List<BatchRequest> requests)
    {
        var task = Task.Run(() => SendAsync(requests));
        lock (_sending)
            _sending.Add(task);
        _ = task.ContinueWith(
            t =>
            {
                lock (_sending)
                    _sending.Remove(t);
            },
            TaskScheduler.Default
        );
        return task;
    }

    /// <summary>Builds each call's request body, then submits them in batches no larger than <see cref="MaxBytes"/>.</summary>
    private async Task SendAsync(List<BatchRequest> requests)
    {
        var lines = new List<(BatchRequest Request, BatchLine Line, long Bytes)>();
        foreach (var group in requests.GroupBy(r => r.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            try
            {
                var body = await _context.Api.RequestAsync(first.Messages, first.Options, _context.Closing).ConfigureAwait(false);
                var line = new BatchLine(first.Key, body);
                // Counted once per line (a repeat of the key shares it); the envelope adds about a hundred bytes.
                var size = body.ToJsonString().Length + first.Key.Length + 100L;
                foreach (var r in group)
                {
                    lines.Add((r, line, size));
                    size = 0;
                }
            }
            catch (Exception e)
            {
                foreach (var r in group)
                    Fail(r, e, null);
            }
        }
        var chunk = new List<(BatchRequest Request, BatchLine Line, long Bytes)>();
        long bytes = 0;
        foreach (var item in lines)
        {
            if (chunk.Count > 0 && item.Bytes > 0 && bytes + item.Bytes > MaxBytes)
            {
                await SubmitAsync(chunk).ConfigureAwait(false);
                chunk = [];
                bytes = 0;
            }
            chunk.Add(item);
            bytes += item.Bytes;
        }
        if (chunk.Count > 0)
            await SubmitAsync(chunk).ConfigureAwait(false);
    }

    private async Task SubmitAsync(List<(BatchRequest Request, BatchLine Line, long Bytes)> chunk)
    {
        var lines = chunk.Select(c => c.Line).DistinctBy(l => l.CustomId, StringComparer.Ordinal).ToList();
        BatchStatus submitted;
        try
        {
            // A closing process stops an upload, never a creation: a batch the provider accepted must reach the store.
            submitted = await _context.Api.SubmitAsync(lines, _context.Closing).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var c in chunk)
                Fail(c.Request, e, null);
            return;
        }
        var keys = lines.Select(l => l.CustomId).ToList();
        var unrecorded = await RecordAsync(submitted, keys).ConfigureAwait(false);
        var poller = _newPoller(submitted.Id);
        if (unrecorded is not null)
            poller.WatchUnrecorded(keys, unrecorded);
        foreach (var c in chunk)
        {
            if (poller.Watch(c.Request.Key) is { } outcome)
                _ = outcome.ContinueWith(t => Complete(c.Request, t), TaskScheduler.Default);
        }
        poller.Start(lookNow: false);
    }

    /// <summary>
    /// Records a batch the provider has accepted, trying again with the model's backoff when the store refuses
    /// (a lock held past its timeout, a full disk); null once it is stored. When it still is not, the batch is
    /// watched in memory so this process's calls are answered, and the returned text (naming the batch and its
    /// provider) goes with every failure of its calls: a rerun would not know the batch.
    /// </summary>
    private async Task<string?> RecordAsync(BatchStatus submitted, IReadOnlyCollection<string> keys)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _context.Store.AddBatch(_context.Describe(submitted.Id, submitted.State, keys.Count), keys);
                return null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (attempt >= RecordAttempts)
                    return $"the {_context.Identity.ProviderKind} batch {submitted.Id} was accepted but could not be recorded in the store "
                        + $"({_context.Scrubber.Scrub(e.Message.ReplaceLineEndings(" "))}); this process watches it, but a rerun would not "
                        + "know it and would send its requests again";
            }
            // Not the closing token: a batch the provider accepted is recorded even while the process closes.
            await _context.Delay(_policy.Backoff(attempt, Random.Shared.NextDouble()), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void Complete(BatchRequest request, Task<BatchOutcome> outcome)
    {
        if (outcome.IsCompletedSuccessfully)
            request.Outcome.TrySetResult(outcome.Result);
        else if (outcome.IsCanceled)
            request.Outcome.TrySetCanceled();
        else
            request.Outcome.TrySetException(outcome.Exception!.InnerExceptions);
    }

    /// <summary>A call whose batch could not be sent: a failed attempt, resubmitted by the caller when the failure may pass.</summary>
    private void Fail(BatchRequest request, Exception e, string? batchId)
    {
        if (e is OperationCanceledException && _context.Closing.IsCancellationRequested)
        {
            request.Outcome.TrySetCanceled();
            return;
        }
        request.Outcome.TrySetResult(
            BatchOutcome.Failed(batchId, CallFailure.Classify(e, false, _context.FailFastOnQuota, _context.Scrubber))
        );
    }
}
