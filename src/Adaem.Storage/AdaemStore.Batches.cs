using Adaem.Core.Models;
using Dapper;

namespace Adaem.Storage;

public sealed partial class AdaemStore : IBatchStore
{
    private const string BatchColumns =
        "id, model, provider, endpoint, state, requests, succeeded, failed, created_at AS CreatedAt, updated_at AS UpdatedAt, collected_at AS CollectedAt";

    /// <summary>The succeeded and failed counts of batch @id from its stored outcomes (a request without one, missing from the
    /// results, failed).</summary>
    private const string Recount = """
        UPDATE batches SET
            succeeded = (SELECT COUNT(*) FROM batch_requests WHERE batch_id = @id AND result = 'succeeded'),
            failed = (SELECT COUNT(*) FROM batch_requests WHERE batch_id = @id AND (result IS NULL OR result <> 'succeeded'))
        WHERE id = @id
        """;

    public void AddBatch(StoredBatch batch, IReadOnlyCollection<string> keys)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        var now = Now();
        c.Execute(
            """
            INSERT INTO batches(id, model, provider, endpoint, state, requests, succeeded, failed, created_at, updated_at)
            VALUES (@Id, @Model, @Provider, @Endpoint, @State, @Requests, 0, 0, @now, @now)
            ON CONFLICT(id) DO NOTHING
            """,
            new
            {
                batch.Id,
                batch.Model,
                batch.Provider,
                batch.Endpoint,
                batch.State,
                Requests = keys.Count,
                now,
            },
            tx
        );
        c.Execute(
            "INSERT INTO batch_requests(batch_id, key) VALUES (@id, @key) ON CONFLICT DO NOTHING",
            keys.Select(key => new { id = batch.Id, key }),
            tx
        );
        tx.Commit();
    }

    public void UpdateBatch(string id, string state, int requests, int succeeded, int failed)
    {
        using var c = Connect();
        c.Execute(
            """
            UPDATE batches SET state = @state, requests = CASE WHEN @requests > 0 THEN @requests ELSE requests END,
                succeeded = @succeeded, failed = @failed, updated_at = @now
            WHERE id = @id
            """,
            new
            {
                id,
                state,
                requests,
                succeeded,
                failed,
                now = Now(),
            }
        );
    }

    public void CollectBatch(string id, string state, IReadOnlyCollection<BatchRequestOutcome> outcomes)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        var now = Now();
        c.Execute(
            """
            UPDATE batch_requests SET result = @Result, error = @Error, result_json = @ResultJson
            WHERE batch_id = @id AND key = @Key
            """,
            outcomes.Select(o => new
            {
                id,
                o.Key,
                o.Result,
                o.Error,
                o.ResultJson,
            }),
            tx
        );
        c.Execute(
            "UPDATE batches SET state = @state, collected_at = @now, updated_at = @now WHERE id = @id",
            new
            {
                id,
                state,
                now,
            },
            tx
        );
        c.Execute(Recount, new { id }, tx);
        tx.Commit();
    }

    public void DiscardBatchReply(string batchId, string key, string error)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        c.Execute(
            "UPDATE batch_requests SET result = @errored, error = @error, result_json = NULL WHERE batch_id = @batchId AND key = @key",
            new
            {
                errored = BatchResults.Errored,
                error,
                batchId,
                key,
            },
            tx
        );
        c.Execute(Recount, new { id = batchId }, tx);
        tx.Commit();
    }

    public BatchMembership? FindBatchRequest(string provider, string endpoint, string key)
    {
        using var c = Connect();
        var row = c.QueryFirstOrDefault<(string BatchId, long Collected, string? Result, string? Error, string? ResultJson)>(
            """
            SELECT r.batch_id, b.collected_at IS NOT NULL, r.result, r.error, r.result_json
            FROM batch_requests r JOIN batches b ON b.id = r.batch_id
            WHERE r.key = @key AND b.provider = @provider AND b.endpoint = @endpoint
            ORDER BY b.collected_at IS NULL DESC, r.result_json IS NOT NULL DESC, b.created_at DESC
            LIMIT 1
            """,
            new
            {
                key,
                provider,
                endpoint,
            }
        );
        return row.BatchId is null ? null : new BatchMembership(row.BatchId, row.Collected != 0, row.Result, row.Error, row.ResultJson);
    }

    /// <summary>
    /// Whether <paramref name="provider"/> at <paramref name="endpoint"/> has batches in flight (not collected), or stored replies
    /// of ended ones whose answer the ledger does not hold yet: a model there with batch mode off must take those, not ask again.
    /// </summary>
    public bool HasBatchesToResume(string provider, string endpoint)
    {
        using var c = Connect();
        return c.ExecuteScalar<long>(
                """
                SELECT EXISTS (SELECT 1 FROM batches WHERE provider = @provider AND endpoint = @endpoint AND collected_at IS NULL)
                    OR EXISTS (
                        SELECT 1 FROM batch_requests r JOIN batches b ON b.id = r.batch_id
                        WHERE b.provider = @provider AND b.endpoint = @endpoint AND r.result_json IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM model_calls m WHERE m.key = r.key AND m.error IS NULL)
                    )
                """,
                new { provider, endpoint }
            ) != 0;
    }

    public IReadOnlyList<StoredBatch> ListBatches(bool inFlightOnly)
    {
        using var c = Connect();
        return c.Query<StoredBatch>(
                $"SELECT {BatchColumns} FROM batches WHERE NOT @inFlightOnly OR collected_at IS NULL ORDER BY created_at DESC, id",
                new { inFlightOnly }
            )
            .AsList();
    }

    public int PruneBatchReplies()
    {
        using var c = Connect();
        return c.Execute(
            """
            UPDATE batch_requests SET result_json = NULL
            WHERE result_json IS NOT NULL AND EXISTS (SELECT 1 FROM model_calls m WHERE m.key = batch_requests.key AND m.error IS NULL)
            """
        );
    }
}
