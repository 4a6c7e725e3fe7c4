using System.Collections.Concurrent;
using System.Diagnostics;
using Adaem.Core.Models;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>
/// The outermost engine layer: the durable cache and the ledger. A call whose key is in the store is
/// answered from it without asking anyone. A miss is asked below (limits, retries, provider) and written
/// to the store the moment it returns, with its usage, latency and cost; every failed attempt is a
/// ledger row too, but errors are never served as answers. Identical calls in flight at the same time
/// in this process are asked once and share the answer; across processes that share the store, a miss
/// is claimed in calls_in_flight first, and a call another live process is already making is waited
/// for (its answer is read from the cache) instead of being asked and paid for twice.
/// </summary>
internal sealed class LedgerChatClient : DelegatingChatClient
{
    /// <summary>Response property: the call's cache key (for the responses table; StructuredReply reads it).</summary>
    public const string CallKeyProperty = Adaem.Core.Prompts.StructuredReply.CallKeyProperty;

    /// <summary>Response property: true when the answer came from the cache, not the provider.</summary>
    public const string CachedProperty = "adaem.cached";

    private readonly ModelIdentity _id;
    private readonly AdaemStore _store;
    private readonly LedgerWriter _writer;
    private readonly PriceList _pricing;
    private readonly CallCounters _counters;
    private readonly SecretScrubber _scrubber;
    private readonly ConcurrentDictionary<string, Task<ChatResponse>> _inFlight = new(StringComparer.Ordinal);
    private readonly CallsInFlight? _across;

    /// <param name="across">How to share calls in flight with other processes; null asks every miss at once
    /// (the simulated pool, whose answers cost nothing).</param>
    public LedgerChatClient(
        IChatClient inner,
        ModelIdentity id,
        AdaemStore store,
        LedgerWriter writer,
        PriceList pricing,
        CallCounters counters,
        SecretScrubber scrubber,
        CallsInFlight? across = null
    )
        : base(inner)
    {
        _across = across;
        _id = id;
        _store = store;
        _writer = writer;
        _pricing = pricing;
        _counters = counters;
        _scrubber = scrubber;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var ctx = CallContext.From(options);
        var identity = new CallIdentity(
            _id.ProviderKind,
            _id.Endpoint,
            _id.ModelId,
            ctx?.Sample ?? 0,
            ctx is null ? "" : $"{ctx.PromptRole}@{ctx.PromptVersion}"
        );
        var request = CallKey.CanonicalRequest(identity, list, options);
        var call = new PendingCall(CallKey.OfCanonical(request), request, NullIfEmpty(ctx?.Run), ctx?.Stage ?? "");

        if (_store.TryGetCachedCall(call.Key) is { } cached)
            return Hit(call, cached);

        while (true)
        {
            var mine = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            var leader = _inFlight.GetOrAdd(call.Key, mine.Task);
            if (leader != mine.Task)
            {
                try
                {
                    var shared = await leader.WaitAsync(cancellationToken).ConfigureAwait(false);
                    _counters.Hit(call.Stage, _id.LocalName);
                    return Answer(shared.Text, call.Key, shared.Usage?.InputTokenCount, shared.Usage?.OutputTokenCount, cached: true);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    continue; // the caller that was asking gave up; ask ourselves
                }
            }
            try
            {
                // Another caller may have finished between our cache look-up and taking the lead. Across processes
                // the claim finds that out in the same transaction (ClaimState.Cached), so only the other path looks here.
                var response =
                    _across is not null ? await AskOnceAcrossProcessesAsync(call, list, options, cancellationToken).ConfigureAwait(false)
                    : _store.TryGetCachedCall(call.Key) is { } late ? Hit(call, late)
                    : await AskAndRecordAsync(call, list, options, false, cancellationToken).ConfigureAwait(false);
                mine.SetResult(response);
                return response;
            }
            catch (OperationCanceledException)
            {
                mine.SetCanceled(CancellationToken.None);
                throw;
            }
            catch (Exception e)
            {
                mine.SetException(e);
                _ = mine.Task.Exception; // observed here; followers rethrow their own copy
                throw;
            }
            finally
            {
                _inFlight.TryRemove(KeyValuePair.Create(call.Key, mine.Task));
            }
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw new NotSupportedException("the call engine does not stream: every reply is cached and recorded whole");

    /// <summary>
    /// Claims the call in the store, then asks it; or, while another live process holds the claim, waits
    /// for its answer to reach the cache. A claim released without an answer (the other call failed or
    /// was abandoned) or gone stale (its process died) is claimed again.
    /// </summary>
    private async Task<ChatResponse> AskOnceAcrossProcessesAsync(
        PendingCall call,
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken ct
    )
    {
        while (true)
        {
            var claim = (await _writer.ClaimAsync([call.Key]).ConfigureAwait(false))[0];
            switch (claim.State)
            {
                case ClaimState.Claimed:
                    try
                    {
                        return await AskAndRecordAsync(call, messages, options, true, ct).ConfigureAwait(false);
                    }
                    catch
                    {
                        _writer.Release(call.Key);
                        throw;
                    }
                case ClaimState.Cached:
                    // Answered by another process between our look-up and the claim.
                    return _store.TryGetCachedCall(call.Key) is { } cached
                        ? Hit(call, cached)
                        : await AskAndRecordAsync(call, messages, options, false, ct).ConfigureAwait(false);
                case ClaimState.Held:
                    if (await _across!.WaitAsync(_store, call.Key, _writer, ct).ConfigureAwait(false) is { } answered)
                        return Hit(call, answered);
                    break;
            }
        }
    }

    private async Task<ChatResponse> AskAndRecordAsync(
        PendingCall call,
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        bool releaseClaim,
        CancellationToken ct
    )
    {
        AttemptLog? log = null;
        log = new AttemptLog(f =>
        {
            _counters.FailedAttempt(call.Stage, _id.LocalName);
            return RecordAsync(
                call,
                null,
                null,
                null,
                f.LatencyMs,
                f.Failure.Describe(),
                f.Attempt,
                batchId: f.BatchId,
                endpoint: log!.Endpoint
            );
        })
        {
            CallKey = call.Key,
        };
        var withLog = options?.Clone() ?? new ChatOptions();
        withLog.AdditionalProperties = withLog.AdditionalProperties is null
            ? []
            : new AdditionalPropertiesDictionary(withLog.AdditionalProperties);
        withLog.AdditionalProperties[AttemptLog.Key] = log;

        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        using var asking = _counters.Asking(call.Stage, _id.LocalName);
        try
        {
            response = await base.GetResponseAsync(messages, withLog, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the caller stopped; an unfinished call is not an outcome
        }
        catch (Exception e)
        {
            _counters.Failed(call.Stage, _id.LocalName);
            var known = e as ModelCallException;
            if (known is not null && log.FailuresRecorded > 0)
                throw;
            // The failure happened outside a retry layer, so nobody recorded it yet: record it here.
            var f = CallFailure.Classify(e, false, true, _scrubber);
            if (log.FailuresRecorded == 0)
                await RecordAsync(
                        call,
                        null,
                        null,
                        null,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                        f.Describe(),
                        Math.Max(1, log.Attempts),
                        endpoint: log.Endpoint
                    )
                    .ConfigureAwait(false);
            if (known is not null)
                throw;
            throw new ModelCallException(
                _id.LocalName,
                f.Kind,
                Math.Max(1, log.Attempts),
                f.Status,
                $"model '{_id.LocalName}': {f.Describe()}"
            );
        }

        var text = response.Text;
        var input = response.Usage?.InputTokenCount;
        var output = response.Usage?.OutputTokenCount;
        // An answer from a provider batch is priced at the batch price and says which batch it came from.
        var batchId =
            response.AdditionalProperties?.TryGetValue(Batching.BatchingChatClient.BatchIdProperty, out var b) == true ? b as string : null;
        var cost = _pricing.Cost(_id.ProviderKind, _id.ModelId, _id.LocalName, input, output, batched: batchId is not null);
        var latency = log.SuccessLatencyMs ?? Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await RecordAsync(call, text, input, output, latency, null, Math.Max(1, log.Attempts), cost, releaseClaim, batchId, log.Endpoint)
            .ConfigureAwait(false);
        _counters.Called(call.Stage, _id.LocalName, input, output, cost);
        return Answer(text, call.Key, input, output, cached: false);
    }

    /// <param name="endpoint">The replica that answered or failed, for a replicated model; null otherwise.</param>
    private Task RecordAsync(
        PendingCall call,
        string? text,
        long? input,
        long? output,
        double latencyMs,
        string? error,
        int attempt,
        double? cost = null,
        bool releaseClaim = false,
        string? batchId = null,
        string? endpoint = null
    ) =>
        _writer.WriteAsync(
            new ModelCallRecord
            {
                Key = call.Key,
                Run = call.Run,
                Stage = NullIfEmpty(call.Stage),
                Model = _id.LocalName,
                Provider = _id.ProviderKind,
                RequestJson = call.Request,
                ResponseText = text,
                InputTokens = input,
                OutputTokens = output,
                LatencyMs = latencyMs,
                Cost = error is null ? cost : null,
                Error = error is null ? null : _scrubber.Scrub(error),
                Attempt = attempt,
                BatchId = batchId,
                Endpoint = endpoint,
            },
            releaseClaim
        );

    private ChatResponse Hit(PendingCall call, ModelCallRecord record)
    {
        _counters.Hit(call.Stage, _id.LocalName);
        return Answer(record.ResponseText ?? "", call.Key, record.InputTokens, record.OutputTokens, cached: true);
    }

    /// <summary>A fresh response object per caller, so no caller can change another's answer.</summary>
    private ChatResponse Answer(string text, string key, long? input, long? output, bool cached) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = _id.ModelId,
            Usage =
                input is null && output is null
                    ? null
                    : new UsageDetails
                    {
                        InputTokenCount = input,
                        OutputTokenCount = output,
                        TotalTokenCount = input + output,
                    },
            AdditionalProperties = new AdditionalPropertiesDictionary { [CallKeyProperty] = key, [CachedProperty] = cached },
        };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private sealed record PendingCall(string Key, string Request, string? Run, string Stage);
}
