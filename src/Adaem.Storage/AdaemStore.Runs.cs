using Dapper;

namespace Adaem.Storage;

public sealed record RunRecord
{
    public string Name { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string UpdatedAt { get; init; } = "";
    public string ConfigHash { get; init; } = "";
    public string Stage { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Detail { get; init; }
}

/// <summary>Calls, tokens and cost of one run, one model and one stage. Cost is null when any call's price is unknown.</summary>
public sealed record CallSummary
{
    public string Run { get; init; } = "";
    public string Stage { get; init; } = "";
    public string Model { get; init; } = "";
    public long Calls { get; init; }
    public long Failures { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public double? Cost { get; init; }
    public long UnpricedCalls { get; init; }

    /// <summary>Answered calls that came from a provider batch (at the batch price).</summary>
    public long Batched { get; init; }
}

/// <summary>Attempts of one model of one run that went to one server of its replica set, answered and failed.</summary>
public sealed record EndpointSummary
{
    public string Run { get; init; } = "";
    public string Model { get; init; } = "";
    public string Endpoint { get; init; } = "";
    public long Calls { get; init; }
    public long Failures { get; init; }
    public double MeanLatencyMs { get; init; }
}

public sealed partial class AdaemStore
{
    /// <summary>Per run, model and server of a replicated model: answers, failed attempts and mean latency of the answers.</summary>
    public IReadOnlyList<EndpointSummary> SummarizeEndpoints(string? run = null)
    {
        using var c = Connect();
        return c.Query<EndpointSummary>(
                """
                SELECT COALESCE(run, '') AS Run, model AS Model, endpoint AS Endpoint,
                       SUM(error IS NULL) AS Calls, SUM(error IS NOT NULL) AS Failures,
                       COALESCE(AVG(CASE WHEN error IS NULL THEN latency_ms END), 0.0) AS MeanLatencyMs
                FROM model_calls
                WHERE endpoint IS NOT NULL AND (@run IS NULL OR run = @run)
                GROUP BY run, model, endpoint
                ORDER BY run, model, endpoint
                """,
                new { run }
            )
            .AsList();
    }

    /// <summary>Creates the run if new; returns the stored record either way.</summary>
    public RunRecord EnsureRun(string name, string configHash)
    {
        using var c = Connect();
        var now = Now();
        c.Execute(
            "INSERT INTO runs(name, created_at, updated_at, config_hash) VALUES (@name, @now, @now, @configHash) ON CONFLICT(name) DO NOTHING",
            new
            {
                name,
                now,
                configHash,
            }
        );
        return GetRun(name)!;
    }

    public RunRecord? GetRun(string name)
    {
        using var c = Connect();
        return c.QuerySingleOrDefault<RunRecord>(
            "SELECT name, created_at AS CreatedAt, updated_at AS UpdatedAt, config_hash AS ConfigHash, stage, status, detail FROM runs WHERE name = @name",
            new { name }
        );
    }

    public void SetRunStage(string name, string stage, string status, string? detail = null)
    {
        using var c = Connect();
        c.Execute(
            "UPDATE runs SET stage = @stage, status = @status, detail = @detail, updated_at = @now WHERE name = @name",
            new
            {
                name,
                stage,
                status,
                detail,
                now = Now(),
            }
        );
    }

    public IReadOnlyList<RunRecord> ListRuns()
    {
        using var c = Connect();
        return c.Query<RunRecord>(
                "SELECT name, created_at AS CreatedAt, updated_at AS UpdatedAt, config_hash AS ConfigHash, stage, status, detail FROM runs ORDER BY created_at, name"
            )
            .AsList();
    }

    public IReadOnlyList<CallSummary> SummarizeCalls(string? run = null)
    {
        using var c = Connect();
        return c.Query<CallSummary>(
                """
                SELECT COALESCE(run, '') AS Run, COALESCE(stage, '') AS Stage, model AS Model,
                       SUM(error IS NULL) AS Calls, SUM(error IS NOT NULL) AS Failures,
                       COALESCE(SUM(input_tokens), 0) AS InputTokens, COALESCE(SUM(output_tokens), 0) AS OutputTokens,
                       CASE WHEN SUM(error IS NULL AND cost IS NULL) > 0 THEN NULL ELSE SUM(cost) END AS Cost,
                       SUM(error IS NULL AND cost IS NULL) AS UnpricedCalls,
                       SUM(error IS NULL AND batch_id IS NOT NULL) AS Batched
                FROM model_calls
                WHERE @run IS NULL OR run = @run
                GROUP BY run, stage, model
                ORDER BY run, stage, model
                """,
                new { run }
            )
            .AsList();
    }
}
