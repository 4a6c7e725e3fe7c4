using Dapper;

namespace Adaem.Storage;

/// <summary>Parse and judge failures of one model and purpose in a run.</summary>
public sealed record FailureSummary
{
    public string Model { get; init; } = "";
    public string Purpose { get; init; } = "";
    public long ParseFailures { get; init; }
    public long JudgeFailures { get; init; }
}

/// <summary>Read-only queries the report uses for provenance.</summary>
public sealed partial class AdaemStore
{
    /// <summary>Per model and purpose, answers that did not parse and judgments that failed (latest parser/judge rows all count).</summary>
    public IReadOnlyList<FailureSummary> SummarizeFailures(string run)
    {
        using var c = Connect();
        return c.Query<FailureSummary>(
                """
                SELECT model AS Model, purpose AS Purpose, SUM(parse) AS ParseFailures, SUM(judge) AS JudgeFailures FROM (
                    SELECT model, purpose, 1 AS parse, 0 AS judge FROM parsed_responses WHERE run = @run AND parse_ok = 0
                    UNION ALL
                    SELECT model, purpose, 0, 1 FROM judgments WHERE run = @run AND ok = 0
                )
                GROUP BY model, purpose ORDER BY model, purpose
                """,
                new { run }
            )
            .AsList();
    }

    public int CountSeeds(string run)
    {
        using var c = Connect();
        return c.ExecuteScalar<int>("SELECT COUNT(*) FROM seeds WHERE run = @run AND arm = 1", new { run });
    }
}
