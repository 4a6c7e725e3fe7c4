using Dapper;

namespace Adaem.Storage;

/// <summary>One finished attempt at a model call, as the ledger keeps it.</summary>
public sealed record ModelCallRecord
{
    public required string Key { get; init; }
    public string? Run { get; init; }
    public string? Stage { get; init; }
    public required string Model { get; init; }
    public required string Provider { get; init; }
    public required string RequestJson { get; init; }
    public string? ResponseText { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public double LatencyMs { get; init; }
    public double? Cost { get; init; }
    public string? Error { get; init; }
    public int Attempt { get; init; } = 1;

    /// <summary>The provider batch the answer (or failed attempt) came from; null for a call asked on its own.</summary>
    public string? BatchId { get; init; }

    /// <summary>The server of a replicated model that answered (or failed) this attempt, without credentials; null for a model with one
    /// endpoint.</summary>
    public string? Endpoint { get; init; }
}

public sealed partial class AdaemStore
{
    /// <summary>The cached successful answer for <paramref name="key"/>, if any. Errors are never returned.</summary>
    public ModelCallRecord? TryGetCachedCall(string key)
    {
        using var c = Connect();
        return c.QuerySingleOrDefault<ModelCallRecord>(
            """
            SELECT key, run, stage, model, provider, request_json AS RequestJson, response_text AS ResponseText,
                   input_tokens AS InputTokens, output_tokens AS OutputTokens, latency_ms AS LatencyMs, cost, error, attempt, batch_id AS BatchId, endpoint
            FROM model_calls WHERE key = @key AND error IS NULL
            """,
            new { key }
        );
    }

    /// <summary>
    /// Writes one finished attempt at once. A success for a key that is already cached (another process
    /// raced us to it) is ignored, so the first answer stays the cached one.
    /// </summary>
    public void RecordCall(ModelCallRecord call) => RecordCalls([call]);

    public long CountCalls(string? run = null, bool includeErrors = false)
    {
        using var c = Connect();
        return c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM model_calls WHERE (@run IS NULL OR run = @run) AND (@includeErrors OR error IS NULL)",
            new { run, includeErrors }
        );
    }
}
