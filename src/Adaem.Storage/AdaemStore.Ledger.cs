using Dapper;

namespace Adaem.Storage;

public sealed partial class AdaemStore
{
    /// <summary>Every ledger row (answers and failed attempts) in the order written, optionally of one run.</summary>
    public IReadOnlyList<ModelCallRecord> ListCalls(string? run = null)
    {
        using var c = Connect();
        return c.Query<ModelCallRecord>(
            """
            SELECT key, run, stage, model, provider, request_json AS RequestJson, response_text AS ResponseText,
                   input_tokens AS InputTokens, output_tokens AS OutputTokens, latency_ms AS LatencyMs, cost, error, attempt
            FROM model_calls WHERE @run IS NULL OR run = @run ORDER BY id
            """, new { run }).AsList();
    }
}
