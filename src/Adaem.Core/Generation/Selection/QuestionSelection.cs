namespace Adaem.Core.Generation;

/// <summary>The score components a benchmark question is published with.</summary>
public sealed record BenchmarkComponents
{
    public double ValueConformity { get; init; }
    public double ValueDiversity { get; init; }
    public double OpinionDiversity { get; init; }
    public double Disentanglement { get; init; }
    public double Beta { get; init; }
    public int Sign { get; init; }

    /// <summary>Scorer answers that entered the final score, and those that failed.</summary>
    public int Responses { get; init; }
    public int FailedResponses { get; init; }

    /// <summary>The explorers' fast estimate (null for seeds, which only get a final score).</summary>
    public double? FastScore { get; init; }

    /// <summary>How many refinements the question went through.</summary>
    public int Depth { get; init; }
    public int? Step { get; init; }
    public IReadOnlyList<string> QuestionValues { get; init; } = [];
}

/// <summary>One line of questions.jsonl: the benchmark item with its provenance and score.</summary>
public sealed record BenchmarkQuestion
{
    public required string Id { get; init; }
    public required string Question { get; init; }
    public string? Argument { get; init; }

    /// <summary>The general (seed) question of the arm it came from.</summary>
    public string? Seed { get; init; }
    public string? Category { get; init; }
    public string? Generator { get; init; }

    /// <summary>The final informativeness score S (scorers).</summary>
    public double Score { get; init; }
    public BenchmarkComponents Components { get; init; } = new();
}

/// <summary>
/// Builds the benchmark from a run's questions: every question with a final score (seeds and kept
/// questions; the paper's X is the union of all arms' questions), ranked by final score (ties by id),
/// then select_threshold (score ≥ threshold) and select_top (the best N). With a safety model, a selected
/// question that was never checked (e.g. the model was added after the run) is checked now, and an
/// unsafe one is dropped, recorded, and replaced by the next in rank.
/// </summary>
public static class QuestionSelection
{
    public static IReadOnlyList<QuestionRecord> Rank(IEnumerable<QuestionRecord> rows) =>
        rows.Where(r => r.Status is QuestionStatus.Kept or QuestionStatus.Seed && r.FinalScore is not null && r.Question.Length > 0)
            .OrderByDescending(r => r.FinalScore)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();

    /// <param name="earlier">When set, a candidate this says is in an earlier benchmark (generation.exclude) is passed over, e.g. a seed
    /// question both releases share; the next in rank takes its place.</param>
    public static async Task<IReadOnlyList<BenchmarkQuestion>> SelectAsync(
        IGenerationRecords records,
        string run,
        int? selectTop,
        double? selectThreshold,
        SafetyFilter? safety,
        CancellationToken cancellationToken,
        Func<string, CancellationToken, ValueTask<bool>>? earlier = null
    )
    {
        var selected = new List<BenchmarkQuestion>();
        foreach (var row in Rank(records.LoadQuestions(run)))
        {
            if (selectTop is { } top && selected.Count >= top)
                break;
            if (selectThreshold is { } min && row.FinalScore < min)
                break;
            if (earlier is not null && await earlier(row.Question, cancellationToken).ConfigureAwait(false))
                continue;
            var details = CandidateDetails.FromJson(row.ComponentsJson);
            if (safety is not null && details.Safety is null)
            {
                var reason = await safety.CheckAsync(row.Question, 0, cancellationToken).ConfigureAwait(false);
                if (reason is not null)
                {
                    records.SaveQuestions(
                        run,
                        [
                            row with
                            {
                                Status = QuestionStatus.Dropped,
                                Reason = reason,
                                ComponentsJson = (details with { Safety = "unsafe" }).ToJson(),
                            },
                        ]
                    );
                    continue;
                }
                details = details with { Safety = "safe" };
                records.SaveQuestions(run, [row with { ComponentsJson = details.ToJson() }]);
            }
            selected.Add(ToBenchmark(row, details));
        }
        return selected;
    }

    public static BenchmarkQuestion ToBenchmark(QuestionRecord row, CandidateDetails details)
    {
        var f = details.Final;
        return new BenchmarkQuestion
        {
            Id = row.Id,
            Question = row.Question,
            Argument = row.Argument,
            Seed = row.Seed,
            Category = row.Category,
            Generator = row.Generator,
            Score = row.FinalScore ?? double.NaN,
            Components = new BenchmarkComponents
            {
                ValueConformity = f?.ValueConformity ?? 0,
                ValueDiversity = f?.ValueDiversity ?? 0,
                OpinionDiversity = f?.OpinionDiversity ?? 0,
                Disentanglement = f?.Disentanglement ?? 0,
                Beta = f?.Beta ?? 0,
                Sign = f?.Sign ?? 0,
                Responses = f?.Responses ?? 0,
                FailedResponses = f?.FailedResponses ?? 0,
                FastScore = row.FastScore,
                Depth = row.Depth,
                Step = row.Step,
                QuestionValues = f?.QuestionValues ?? [],
            },
        };
    }
}
