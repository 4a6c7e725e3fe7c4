using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Models;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>
/// The engine for embeddings: each input text is one cache entry (its vector stored as JSON in the
/// ledger), so dedup over a growing question pool embeds every question once across all reruns.
/// Misses go to the provider in batches, through the model's limits and the same single retry loop.
/// With <c>across</c> set, misses are claimed in the store first and texts that another process is
/// embedding right now are waited for, as <see cref="LedgerChatClient"/> does for chat calls. Within the
/// process, a text already being embedded by another caller is waited for, not asked again (single flight
/// per key; the store's claims are per process, so they do not stop two callers of one process).
/// </summary>
internal sealed class LedgerEmbeddingGenerator(
    IEmbeddingGenerator<string, Embedding<float>> inner,
    ModelIdentity id,
    AdaemStore store,
    LedgerWriter writer,
    PriceList pricing,
    CallCounters counters,
    ModelLimits limits,
    RetryExecutor retry,
    SecretScrubber scrubber,
    int batchSize = 128,
    CallsInFlight? across = null
) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly ConcurrentDictionary<string, Task<Embedding<float>>> _inFlight = new(StringComparer.Ordinal);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var texts = values.ToList();
        var run = Property(options, CallContext.RunKey);
        var stage = Property(options, CallContext.StageKey) ?? "";
        var keys = new (string Key, string Request)[texts.Count];
        var results = new Embedding<float>?[texts.Count];
        var misses = new Dictionary<string, (string Text, string Request)>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            var request = CanonicalJson.Write(
                new JsonObject
                {
                    ["kind"] = "embedding",
                    ["provider"] = id.ProviderKind,
                    ["endpoint"] = id.Endpoint,
                    ["model"] = id.ModelId,
                    ["dimensions"] = options?.Dimensions,
                    ["input"] = texts[i],
                }
            );
            keys[i] = (CallKey.OfCanonical(request), request);
            if (store.TryGetCachedCall(keys[i].Key) is { ResponseText: { } json })
            {
                results[i] = new Embedding<float>(JsonSerializer.Deserialize<float[]>(json)!);
                counters.Hit(stage, id.LocalName);
            }
            else
            {
                misses.TryAdd(keys[i].Key, (texts[i], request));
            }
        }

        var fresh = new Dictionary<string, Embedding<float>>(StringComparer.Ordinal);
        // In this process: take the lead for each missing key, or follow the caller already embedding it.
        var ours = new Dictionary<string, (string Text, string Request)>(StringComparer.Ordinal);
        var leads = new Dictionary<string, TaskCompletionSource<Embedding<float>>>(StringComparer.Ordinal);
        var followed = new Dictionary<string, Task<Embedding<float>>>(StringComparer.Ordinal);
        foreach (var miss in misses)
        {
            var lead = new TaskCompletionSource<Embedding<float>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var leader = _inFlight.GetOrAdd(miss.Key, lead.Task);
            if (leader != lead.Task)
                followed[miss.Key] = leader;
            else
            {
                leads[miss.Key] = lead;
                ours[miss.Key] = miss.Value;
            }
        }

        try
        {
            // Another caller may have finished a key between our cache look-up and taking the lead.
            foreach (var key in ours.Keys.ToList())
            {
                if (store.TryGetCachedCall(key) is not { ResponseText: { } done })
                    continue;
                Shared(key, done);
                ours.Remove(key);
            }
            // Across processes: claim the keys in the store, embed the claimed ones, wait for the held ones.
            var pending = ours;
            while (pending.Count > 0)
            {
                var claims = across is null
                    ? pending.Keys.Select(k => new CallClaim(k, ClaimState.Claimed)).ToList()
                    : await writer.ClaimAsync([.. pending.Keys]).ConfigureAwait(false);
                var mine = new Dictionary<string, (string Text, string Request)>(StringComparer.Ordinal);
                var held = new List<string>();
                foreach (var claim in claims)
                {
                    if (claim.State == ClaimState.Claimed)
                        mine[claim.Key] = pending[claim.Key];
                    else if (claim.State == ClaimState.Cached && store.TryGetCachedCall(claim.Key) is { ResponseText: { } json })
                        Shared(claim.Key, json);
                    else
                        held.Add(claim.Key);
                }
                try
                {
                    await EmbedAsync(mine, run, stage, options, fresh, cancellationToken).ConfigureAwait(false);
                }
                catch when (across is not null)
                {
                    foreach (var key in mine.Keys)
                        writer.Release(key);
                    throw;
                }
                var next = new Dictionary<string, (string Text, string Request)>(StringComparer.Ordinal);
                if (held.Count > 0)
                {
                    var answered = await across!.WaitAsync(store, held, writer, cancellationToken).ConfigureAwait(false);
                    foreach (var key in held)
                    {
                        if (answered.TryGetValue(key, out var record) && record.ResponseText is { } json)
                            Shared(key, json);
                        else
                            next[key] = pending[key];
                    }
                }
                pending = next;
            }
            foreach (var (key, lead) in leads)
                lead.SetResult(fresh[key]);
        }
        catch (Exception e)
        {
            foreach (var lead in leads.Values.Where(l => !l.Task.IsCompleted))
            {
                if (e is OperationCanceledException)
                    lead.SetCanceled(CancellationToken.None);
                else
                {
                    lead.SetException(e);
                    _ = lead.Task.Exception; // observed here; followers rethrow their own copy
                }
            }
            throw;
        }
        finally
        {
            foreach (var (key, lead) in leads)
                _inFlight.TryRemove(KeyValuePair.Create(key, lead.Task));
        }

        foreach (var (key, task) in followed)
        {
            try
            {
                fresh[key] = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
                counters.Hit(stage, id.LocalName);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The caller that was embedding it gave up; ask ourselves.
                fresh[key] = (await GenerateAsync([misses[key].Text], options, cancellationToken).ConfigureAwait(false))[0];
            }
        }

        for (var i = 0; i < texts.Count; i++)
            results[i] ??= fresh[keys[i].Key];
        return new GeneratedEmbeddings<Embedding<float>>(results!);

        void Shared(string key, string json)
        {
            fresh[key] = new Embedding<float>(JsonSerializer.Deserialize<float[]>(json)!);
            counters.Hit(stage, id.LocalName);
        }
    }

    /// <summary>Embeds <paramref name="misses"/> in batches and records each vector the moment its batch returns.</summary>
    private async Task EmbedAsync(
        Dictionary<string, (string Text, string Request)> misses,
        string? run,
        string stage,
        EmbeddingGenerationOptions? options,
        Dictionary<string, Embedding<float>> fresh,
        CancellationToken cancellationToken
    )
    {
        foreach (var batch in misses.Chunk(batchSize))
        {
            var batchTexts = batch.Select(b => b.Value.Text).ToList();
            var log = new AttemptLog(f =>
            {
                counters.FailedAttempt(stage, id.LocalName);
                return Task.WhenAll(
                    batch.Select(b =>
                        RecordAsync(
                            b.Key,
                            b.Value.Request,
                            run,
                            stage,
                            null,
                            null,
                            f.LatencyMs,
                            scrubber.Scrub(f.Failure.Describe()),
                            f.Attempt,
                            null
                        )
                    )
                );
            });
            var started = Stopwatch.GetTimestamp();
            GeneratedEmbeddings<Embedding<float>> generated;
            using (counters.Asking(stage, id.LocalName))
            using (await limits.AcquireAsync(batchTexts.Sum(t => t.Length) / 4 + 1, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    generated = await retry
                        .RunAsync(
                            ct => base.GenerateAsync(batchTexts, Stripped(options), ct),
                            g =>
                            {
                                if (g.Count != batchTexts.Count)
                                    throw new EmptyReplyException($"asked for {batchTexts.Count} embeddings, got {g.Count}");
                            },
                            log,
                            cancellationToken
                        )
                        .ConfigureAwait(false);
                }
                catch (ModelCallException)
                {
                    counters.Failed(stage, id.LocalName);
                    throw;
                }
            }
            var latency = log.SuccessLatencyMs ?? Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var totalChars = Math.Max(1, batchTexts.Sum(t => t.Length));
            var batchTokens = generated.Usage?.InputTokenCount;
            var writes = new List<Task>(batch.Length);
            for (var j = 0; j < batch.Length; j++)
            {
                var (key, (text, request)) = batch[j];
                // The provider reports usage per batch; each text carries its share by length.
                long? tokens = batchTokens is { } bt ? (long)Math.Round((double)bt * Math.Max(1, text.Length) / totalChars) : null;
                var cost = pricing.Cost(id.ProviderKind, id.ModelId, id.LocalName, tokens, tokens is null ? null : 0);
                writes.Add(
                    RecordAsync(
                        key,
                        request,
                        run,
                        stage,
                        JsonSerializer.Serialize(generated[j].Vector.ToArray()),
                        tokens,
                        latency / batch.Length,
                        null,
                        Math.Max(1, log.Attempts),
                        cost,
                        release: across is not null
                    )
                );
                counters.Called(stage, id.LocalName, tokens, 0, cost);
                fresh[key] = generated[j];
            }
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    private Task RecordAsync(
        string key,
        string request,
        string? run,
        string stage,
        string? vector,
        long? tokens,
        double latencyMs,
        string? error,
        int attempt,
        double? cost,
        bool release = false
    ) =>
        writer.WriteAsync(
            new ModelCallRecord
            {
                Key = key,
                Run = run,
                Stage = stage.Length == 0 ? null : stage,
                Model = id.LocalName,
                Provider = id.ProviderKind,
                RequestJson = request,
                ResponseText = vector,
                InputTokens = tokens,
                OutputTokens = vector is null ? null : 0,
                LatencyMs = latencyMs,
                Cost = cost,
                Error = error,
                Attempt = attempt,
            },
            release
        );

    private static string? Property(EmbeddingGenerationOptions? options, string key) =>
        options?.AdditionalProperties?.TryGetValue(key, out var v) == true && v?.ToString() is { Length: > 0 } s ? s : null;

    private static EmbeddingGenerationOptions? Stripped(EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } p)
            return options;
        var o = options.Clone();
        var kept = p.Where(kv => !kv.Key.StartsWith("adaem.", StringComparison.Ordinal)).ToList();
        o.AdditionalProperties = kept.Count == 0 ? null : new AdditionalPropertiesDictionary(kept);
        return o;
    }
}
