using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>One failed attempt at a call, as the retry layer reports it to the ledger.</summary>
internal sealed record FailedAttempt(int Attempt, CallFailure Failure, double LatencyMs)
{
    /// <summary>The provider batch the attempt travelled in; null for an attempt asked on its own.</summary>
    public string? BatchId { get; init; }
}

/// <summary>
/// Carries attempt outcomes from the retry layer up to the ledger layer of the same call. It travels in
/// ChatOptions.AdditionalProperties like the rest of the call context (and is stripped with it before
/// the provider), so the layers stay plain IChatClients that know nothing of each other. It also carries
/// the call's cache key down, for a batch layer that names each request by it.
/// </summary>
internal sealed class AttemptLog(Func<FailedAttempt, Task> onFailure)
{
    public const string Key = "adaem.attempt_log";

    /// <summary>The ledger's key of the call (the custom id of its request in a provider batch).</summary>
    public string? CallKey { get; init; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; private set; }
    public int FailuresRecorded { get; private set; }

    /// <summary>Latency of the attempt that succeeded, in milliseconds.</summary>
    public double? SuccessLatencyMs { get; private set; }

    internal void Started() => Attempts++;

    internal Task FailedAsync(FailedAttempt attempt)
    {
        FailuresRecorded++;
        return onFailure(attempt);
    }

    internal void Succeeded(double latencyMs) => SuccessLatencyMs = latencyMs;

    /// <summary>
    /// The replica the current (or last) attempt went to, without credentials; null for a model with one endpoint.
    /// Set by <see cref="ReplicaRouter"/> before each attempt, read by the ledger for that attempt's row.
    /// </summary>
    public string? Endpoint { get; internal set; }

    private readonly HashSet<int> _failedReplicas = [];

    /// <summary>Replicas (by index) on which an attempt of this call failed, so the next attempt goes elsewhere.</summary>
    internal bool FailedOn(int replica)
    {
        lock (_failedReplicas)
            return _failedReplicas.Contains(replica);
    }

    internal void MarkFailed(int replica)
    {
        lock (_failedReplicas)
            _failedReplicas.Add(replica);
    }

    internal int FailedReplicaCount
    {
        get
        {
            lock (_failedReplicas)
                return _failedReplicas.Count;
        }
    }

    public static AttemptLog? From(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var o) == true ? o as AttemptLog : null;

    public static AttemptLog? From(AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(Key, out var o) == true ? o as AttemptLog : null;
}
