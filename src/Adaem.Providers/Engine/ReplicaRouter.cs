using System.Globalization;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>One server of a replicated model: its raw provider client, its own limits and its circuit breaker.</summary>
internal sealed class Replica(int index, string endpoint, IChatClient chat, ModelLimits limits, CircuitBreaker breaker)
{
    public int Index { get; } = index;

    /// <summary>The server's base URL without credentials (what the ledger and `adaem runs` show).</summary>
    public string Endpoint { get; } = EndpointText.WithoutCredentials(endpoint);
    public IChatClient Chat { get; } = chat;
    public ModelLimits Limits { get; } = limits;
    public CircuitBreaker Breaker { get; } = breaker;

    /// <summary>Calls sent to this replica and not finished (waiting for its limits or asked).</summary>
    public int InFlight { get; internal set; }
}

/// <summary>
/// The engine's bottom layer for a model whose base_url lists several servers of the same model. It takes the
/// place of the limits and retry layers of a single endpoint:
/// <code>
/// defaults → ledger + cache → ReplicaRouter: retries → [choose a replica → its limits → its provider]
/// </code>
/// Each attempt goes to the replica with the fewest calls in flight for its concurrency (ties in turn), among
/// those whose circuit breaker lets calls through, preferring replicas this call has not failed on: a call that
/// fails on one replica is retried on another at once, with no backoff. A replica that keeps failing rests (see
/// <see cref="CircuitBreaker"/>) and is probed again later. When every replica rests, the attempt fails as a
/// connection failure and the retry layer backs off as usual, so a fleet that is down stops the run with a clear
/// message instead of waiting for ever. Choosing a replica and waiting for its limits happen before the
/// attempt's timeout starts. Which replica answered is no part of the cache key (the ledger above keys by the
/// model's identity); it is recorded per ledger row for `adaem runs`.
/// </summary>
internal sealed class ReplicaRouter : IChatClient
{
    private readonly string _model;
    private readonly IReadOnlyList<Replica> _replicas;
    private readonly RetryExecutor _retry;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private int _turn;

    public ReplicaRouter(string model, IReadOnlyList<Replica> replicas, RetryExecutor retry, TimeProvider? time = null)
    {
        if (replicas.Count == 0)
            throw new ArgumentException("a replicated model needs at least one replica", nameof(replicas));
        _model = model;
        _replicas = replicas;
        _retry = retry;
        _time = time ?? TimeProvider.System;
    }

    public IReadOnlyList<Replica> Replicas => _replicas;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var log = AttemptLog.From(options);
        var tokens = LimiterChatClient.EstimateTokens(list, options);
        return _retry.RunAsync<Admission, ChatResponse>(
            ct => AdmitAsync(log, tokens, ct),
            (admission, ct) => AttemptAsync(admission, list, options, log, ct, cancellationToken),
            null,
            log,
            _ => AnotherReplicaCanTake(log),
            cancellationToken
        );
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw new NotSupportedException("the call engine does not stream: every reply is cached and recorded whole");

    /// <summary>The replicas' limits added up, as Core sees them (the stages size their lanes from it); this router itself.</summary>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ModelCapacity))
        {
            var caps = _replicas.Select(r => r.Limits.Capacity).ToList();
            return new ModelCapacity(
                caps.Sum(c => c.Concurrency),
                caps.All(c => c.RequestsPerMinute is not null) ? caps.Sum(c => c.RequestsPerMinute) : null,
                caps.All(c => c.TokensPerMinute is not null) ? caps.Sum(c => c.TokensPerMinute) : null
            );
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The replicas' provider clients and limits belong to the model pool, which disposes them.
    }

    private async ValueTask<Admission> AdmitAsync(AttemptLog? log, int tokens, CancellationToken ct)
    {
        while (true)
        {
            Replica? chosen;
            bool probe;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                chosen = Choose(log, now);
                probe = chosen?.Breaker.Taken(now) ?? false;
                if (chosen is not null)
                    chosen.InFlight++;
            }
            if (log is not null)
                log.Endpoint = chosen?.Endpoint;
            if (chosen is null)
                return new Admission(this, null, null, false);
            IDisposable slot;
            try
            {
                slot = await chosen.Limits.AcquireAsync(tokens, ct).ConfigureAwait(false);
            }
            catch
            {
                Finish(chosen, probe, Outcome.Neutral);
                throw;
            }
            bool restedMeanwhile;
            lock (_lock)
                restedMeanwhile = !probe && chosen.Breaker.RestingUntil is not null;
            if (!restedMeanwhile)
                return new Admission(this, chosen, slot, probe);
            // The replica was sent to rest while this call waited for its limits: choose again.
            slot.Dispose();
            Finish(chosen, probe, Outcome.Neutral);
        }
    }

    /// <summary>The least loaded replica that may take a call, preferring those this call has not failed on; null when every one
    /// rests.</summary>
    private Replica? Choose(AttemptLog? log, DateTimeOffset now)
    {
        var open = _replicas.Where(r => r.Breaker.CanTake(now)).ToList();
        if (open.Count == 0)
            return null;
        var fresh = open.Where(r => log?.FailedOn(r.Index) != true).ToList();
        var pool = fresh.Count > 0 ? fresh : open;
        var start = _turn++ % _replicas.Count;
        if (_turn > 1_000_000)
            _turn = 0;
        return pool.OrderBy(r => (double)r.InFlight / Math.Max(1, r.Limits.Concurrency))
            .ThenBy(r => (r.Index - start + _replicas.Count) % _replicas.Count)
            .First();
    }

    private bool AnotherReplicaCanTake(AttemptLog? log)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            return _replicas.Any(r => r.Breaker.CanTake(now) && log?.FailedOn(r.Index) != true);
        }
    }

    private async Task<ChatResponse> AttemptAsync(
        Admission admission,
        IReadOnlyCollection<ChatMessage> messages,
        ChatOptions? options,
        AttemptLog? log,
        CancellationToken attempt,
        CancellationToken call
    )
    {
        if (admission.Replica is not { } replica)
            throw new HttpRequestException(AllResting());
        try
        {
            var response = await replica.Chat.GetResponseAsync(messages, options, attempt).ConfigureAwait(false);
            if (response.Messages.Count == 0 || response.Messages.All(m => m.Contents.Count == 0))
                throw new EmptyReplyException("the provider returned no message (empty choices)");
            admission.Outcome = Outcome.Healthy;
            return response;
        }
        catch (Exception e) when (!call.IsCancellationRequested)
        {
            var kind = CallFailure.Classify(e, attempt.IsCancellationRequested, true, SecretScrubber.None).Kind;
            admission.Outcome = kind
                is ModelCallFailure.ServerError
                    or ModelCallFailure.Timeout
                    or ModelCallFailure.Connection
                    or ModelCallFailure.InvalidReply
                ? Outcome.Unhealthy
                : Outcome.Neutral;
            if (kind != ModelCallFailure.Unknown)
                log?.MarkFailed(replica.Index);
            throw;
        }
    }

    private string AllResting()
    {
        DateTimeOffset? first;
        lock (_lock)
            first = _replicas.Min(r => r.Breaker.RestingUntil);
        var when = first is { } t ? " until " + t.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "";
        return $"all {_replicas.Count} replicas of model '{_model}' are resting{when} after failing repeatedly";
    }

    private void Finish(Replica replica, bool probe, Outcome outcome)
    {
        lock (_lock)
        {
            replica.InFlight--;
            switch (outcome)
            {
                case Outcome.Healthy:
                    replica.Breaker.Succeeded();
                    break;
                case Outcome.Unhealthy:
                    replica.Breaker.Failed(probe, _time.GetUtcNow());
                    break;
                default:
                    replica.Breaker.Released(probe);
                    break;
            }
        }
    }

    private enum Outcome
    {
        Neutral,
        Healthy,
        Unhealthy,
    }

    /// <summary>An attempt's replica and its slot; disposing it frees the slot and tells the breaker how the attempt went.</summary>
    private sealed class Admission(ReplicaRouter router, Replica? replica, IDisposable? slot, bool probe) : IDisposable
    {
        public Replica? Replica => replica;
        public Outcome Outcome { get; set; } = Outcome.Neutral;

        public void Dispose()
        {
            slot?.Dispose();
            if (replica is not null)
                router.Finish(replica, probe, Outcome);
        }
    }
}
