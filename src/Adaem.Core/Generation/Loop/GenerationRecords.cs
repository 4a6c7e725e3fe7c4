namespace Adaem.Core.Generation;

/// <summary>
/// One question the generation produced or considered: a seed (an arm's general question), an explored
/// candidate, or a refinement of one. Every candidate is kept as a record, dropped ones too, with the
/// reason. Init-only properties with defaults so the store can map rows onto it.
/// </summary>
public sealed record QuestionRecord
{
    public string Id { get; init; } = "";

    /// <summary>The arm (seed id) the question belongs to.</summary>
    public string? Arm { get; init; }
    public string Question { get; init; } = "";
    public string? Argument { get; init; }

    /// <summary>The arm's general question.</summary>
    public string? Seed { get; init; }
    public string? Category { get; init; }

    /// <summary>The explorer model that wrote it ("seed:SOURCE" for seeds).</summary>
    public string? Generator { get; init; }

    /// <summary>The question it was refined from.</summary>
    public string? Parent { get; init; }

    /// <summary>The bandit step that produced it (null for seeds).</summary>
    public int? Step { get; init; }

    /// <summary>Refinement depth: 0 for explored candidates and seeds.</summary>
    public int Depth { get; init; }

    /// <summary>One of <see cref="QuestionStatus"/>.</summary>
    public string Status { get; init; } = "";

    /// <summary>"code: detail" with a code from <see cref="DropReasons"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>S estimated with the explorers (P1).</summary>
    public double? FastScore { get; init; }

    /// <summary>S with the scorers (P2): the question's rank in the benchmark.</summary>
    public double? FinalScore { get; init; }

    /// <summary><see cref="CandidateDetails"/> as JSON.</summary>
    public string? ComponentsJson { get; init; }
}

public static class QuestionStatus
{
    /// <summary>An arm's general question, scored by the scorers to start the arm's mean reward.</summary>
    public const string Seed = "seed";

    /// <summary>The final question of one exploration draw, with its final score.</summary>
    public const string Kept = "kept";

    /// <summary>An earlier version replaced by a refinement that gained more than τ.</summary>
    public const string Superseded = "superseded";

    /// <summary>A refinement that was not taken (no gain above τ, unparseable, unsafe, unscorable).</summary>
    public const string Rejected = "rejected";

    /// <summary>A candidate removed from the run, with its reason.</summary>
    public const string Dropped = "dropped";
}

/// <summary>Codes that start <see cref="QuestionRecord.Reason"/>.</summary>
public static class DropReasons
{
    public const string Duplicate = "duplicate";
    public const string NearDuplicate = "near_duplicate";

    /// <summary>A duplicate (exact or near) of a question of an earlier benchmark named in generation.exclude.</summary>
    public const string InEarlierBenchmark = "in_earlier_benchmark";
    public const string ExploreFailed = "explore_failed";
    public const string Unsafe = "unsafe";
    public const string SafetyFailed = "safety_failed";
    public const string FastScoreFailed = "fast_score_failed";
    public const string FinalScoreFailed = "final_score_failed";
    public const string RefineFailed = "refine_failed";
    public const string NoGain = "no_gain";

    public static string Code(string? reason)
    {
        if (reason is null)
            return "";
        var i = reason.IndexOf(':');
        return i < 0 ? reason : reason[..i];
    }
}

/// <summary>One bandit step as stored: the arm played, the reward (mean final score of the step's questions) and the arm's state
/// after.</summary>
public sealed record BanditStepRecord
{
    public int Step { get; init; }
    public string Arm { get; init; } = "";

    /// <summary>Null when no candidate of the step got a final score.</summary>
    public double? Reward { get; init; }

    /// <summary>C_i after the step.</summary>
    public int Pulls { get; init; }

    /// <summary>Q_i after the step.</summary>
    public double MeanReward { get; init; }

    /// <summary>Why the arm was chosen and what the step did (<see cref="StepDetails"/> as JSON).</summary>
    public string? StateJson { get; init; }
}

/// <summary>
/// Where the generation loop keeps everything it decides (implemented by the SQLite store). Writes of
/// one step are atomic, so a run stopped at any moment resumes from its last finished step.
/// </summary>
public interface IGenerationRecords
{
    /// <summary>The arms chosen when the run started, in id order; empty for a new run.</summary>
    IReadOnlyList<Seed> LoadArms(string run);

    void SaveArms(string run, IReadOnlyList<Seed> arms);

    /// <summary>Seeds added by the run's seed expansion (source "expanded:MODEL"), whether or not they became arms, in id order.</summary>
    IReadOnlyList<Seed> LoadExpandedSeeds(string run);

    /// <summary>Stores seeds proposed by the expansion; they are not arms until <see cref="SaveArms"/> names them.</summary>
    void SaveExpandedSeeds(string run, IReadOnlyList<Seed> seeds);

    IReadOnlyList<QuestionRecord> LoadQuestions(string run);

    /// <summary>Inserts or replaces questions by id.</summary>
    void SaveQuestions(string run, IReadOnlyList<QuestionRecord> questions);

    /// <summary>Finished steps in step order.</summary>
    IReadOnlyList<BanditStepRecord> LoadSteps(string run);

    /// <summary>Writes a step and all questions it produced in one transaction.</summary>
    void SaveStep(string run, BanditStepRecord step, IReadOnlyList<QuestionRecord> questions);

    /// <summary>
    /// Writes the steps of one round (generation.arms_per_round) and all the questions they produced in one
    /// transaction, so a round is stored whole or not at all and a stopped run resumes at a round's start.
    /// </summary>
    void SaveRound(string run, IReadOnlyList<(BanditStepRecord Step, IReadOnlyList<QuestionRecord> Questions)> steps);
}
