using Dapper;

namespace Adaem.Storage;

public sealed partial class AdaemStore
{
    /// <summary>
    /// Writes several finished attempts in one transaction (one commit for all of them). Same rules as
    /// <see cref="RecordCall"/>: a success for a key that is already cached is ignored.
    /// </summary>
    public void RecordCalls(IReadOnlyCollection<ModelCallRecord> calls)
    {
        if (calls.Count == 0)
            return;
        using var c = Connect();
        // IMMEDIATE: take the write lock up front rather than upgrading a read lock mid-transaction.
        using var tx = c.BeginTransaction(deferred: false);
        InsertCalls(c, tx, calls, Now());
        tx.Commit();
    }

    private static void InsertCalls(
        Microsoft.Data.Sqlite.SqliteConnection c,
        Microsoft.Data.Sqlite.SqliteTransaction tx,
        IReadOnlyCollection<ModelCallRecord> calls,
        string now
    )
    {
        if (calls.Count == 0)
            return;
        c.Execute(
            """
            INSERT INTO model_calls(key, run, stage, model, provider, request_json, response_text, input_tokens, output_tokens,
                                    latency_ms, cost, error, attempt, created_at, batch_id, endpoint)
            VALUES (@Key, @Run, @Stage, @Model, @Provider, @RequestJson, @ResponseText, @InputTokens, @OutputTokens,
                    @LatencyMs, @Cost, @Error, @Attempt, @now, @BatchId, @Endpoint)
            ON CONFLICT DO NOTHING
            """,
            calls.Select(call => new
            {
                call.Key,
                call.Run,
                call.Stage,
                call.Model,
                call.Provider,
                call.RequestJson,
                call.ResponseText,
                call.InputTokens,
                call.OutputTokens,
                call.LatencyMs,
                call.Cost,
                call.Error,
                call.Attempt,
                now,
                call.BatchId,
                call.Endpoint,
            }),
            transaction: tx
        );
    }

    /// <summary>Every ledger row (answers and failed attempts) in the order written, optionally of one run.</summary>
    public IReadOnlyList<ModelCallRecord> ListCalls(string? run = null)
    {
        using var c = Connect();
        return c.Query<ModelCallRecord>(
                """
                SELECT key, run, stage, model, provider, request_json AS RequestJson, response_text AS ResponseText,
                       input_tokens AS InputTokens, output_tokens AS OutputTokens, latency_ms AS LatencyMs, cost, error, attempt, batch_id AS BatchId, endpoint
                FROM model_calls WHERE @run IS NULL OR run = @run ORDER BY id
                """,
                new { run }
            )
            .AsList();
    }
}
