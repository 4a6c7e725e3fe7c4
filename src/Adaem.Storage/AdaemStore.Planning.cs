using Adaem.Core.Planning;
using Dapper;

namespace Adaem.Storage;

/// <summary>One row of a stored plan: what `adaem plan --run R` expected of one model in one prompt role of one stage.</summary>
public sealed record PlanRow
{
    public string Run { get; init; } = "";
    public string Stage { get; init; } = "";
    public string Model { get; init; } = "";
    public string Role { get; init; } = "";
    public double Calls { get; init; }
    public double InputTokens { get; init; }
    public double OutputTokens { get; init; }

    /// <summary>Null when the model's price was unknown.</summary>
    public double? Cost { get; init; }
    public string PlannedAt { get; init; } = "";
}

/// <summary>What the store has measured, for `adaem plan`; and the plans it keeps for `adaem runs`.</summary>
public sealed partial class AdaemStore : IPlanHistory
{
    /// <summary>
    /// Per model and prompt role (from the ledger's canonical request: prompt_schema is role@version), answered calls
    /// that reported usage, how many of them were re-asks (the sample index's re-ask digit), and their mean tokens.
    /// </summary>
    public IReadOnlyList<RoleUsage> RoleUsage()
    {
        using var c = Connect();
        return c.Query<(string Model, string Role, long Calls, long ReAsks, double MeanInput, double MeanOutput)>(
                """
                SELECT model, substr(schema, 1, instr(schema, '@') - 1) AS role, COUNT(*), SUM((sample % 10000) >= 1000),
                       COALESCE(AVG(input_tokens), 0.0), COALESCE(AVG(output_tokens), 0.0)
                FROM (SELECT model, input_tokens, output_tokens,
                             json_extract(request_json, '$.prompt_schema') AS schema, json_extract(request_json, '$.sample') AS sample
                      FROM model_calls WHERE error IS NULL AND output_tokens IS NOT NULL AND input_tokens IS NOT NULL)
                WHERE instr(schema, '@') > 1
                GROUP BY model, role
                ORDER BY model, role
                """
            )
            .Select(r => new RoleUsage(r.Model, r.Role, r.Calls, r.ReAsks, r.MeanInput, r.MeanOutput))
            .ToList();
    }

    /// <summary>Per model, the mean latency of its answered calls.</summary>
    public IReadOnlyList<ModelLatency> Latencies()
    {
        using var c = Connect();
        return c.Query<(string Model, long Calls, double Mean)>(
                "SELECT model, COUNT(*), AVG(latency_ms) FROM model_calls WHERE error IS NULL GROUP BY model ORDER BY model"
            )
            .Select(r => new ModelLatency(r.Model, r.Calls, r.Mean))
            .ToList();
    }

    /// <summary>How the bandit steps' candidates fared, over every run in the store; null when no run took a step.</summary>
    public GenerationShape? GenerationShape()
    {
        using var c = Connect();
        var row = c.QuerySingle<(long Candidates, long Scored, long Rounds, long RoundsScored)>(
            """
            SELECT COALESCE(SUM(depth = 0), 0), COALESCE(SUM(depth = 0 AND (fast_score IS NOT NULL OR reason LIKE 'fast_score_failed%')), 0),
                   COALESCE(SUM(depth > 0), 0), COALESCE(SUM(depth > 0 AND (fast_score IS NOT NULL OR reason LIKE 'fast_score_failed%')), 0)
            FROM questions WHERE step IS NOT NULL
            """
        );
        if (row.Candidates == 0)
            return null;
        var runs = c.Query<string>("SELECT DISTINCT run FROM questions WHERE step IS NOT NULL ORDER BY run").AsList();
        return new GenerationShape(row.Candidates, row.Scored, row.Rounds, row.RoundsScored, runs);
    }

    /// <summary>Replaces the stored plan of <paramref name="run"/> with <paramref name="rows"/>.</summary>
    public void SavePlan(string run, IReadOnlyCollection<PlanRow> rows)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        c.Execute("DELETE FROM run_plans WHERE run = @run", new { run }, tx);
        var now = Now();
        c.Execute(
            """
            INSERT INTO run_plans(run, stage, model, role, calls, input_tokens, output_tokens, cost, planned_at)
            VALUES (@Run, @Stage, @Model, @Role, @Calls, @InputTokens, @OutputTokens, @Cost, @now)
            """,
            rows.Select(r => new
            {
                Run = run,
                r.Stage,
                r.Model,
                r.Role,
                r.Calls,
                r.InputTokens,
                r.OutputTokens,
                r.Cost,
                now,
            }),
            tx
        );
        tx.Commit();
    }

    /// <summary>The stored plans, of every run or of one.</summary>
    public IReadOnlyList<PlanRow> LoadPlans(string? run = null)
    {
        using var c = Connect();
        return c.Query<PlanRow>(
                """
                SELECT run, stage, model, role, calls, input_tokens AS InputTokens, output_tokens AS OutputTokens, cost, planned_at AS PlannedAt
                FROM run_plans WHERE @run IS NULL OR run = @run ORDER BY run, stage, model, role
                """,
                new { run }
            )
            .AsList();
    }
}
