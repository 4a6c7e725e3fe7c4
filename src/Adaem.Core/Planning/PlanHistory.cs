namespace Adaem.Core.Planning;

/// <summary>What the ledger says about one model's answers in one prompt role: how many, how many were re-asks, and their mean
/// tokens.</summary>
/// <param name="Calls">Answered calls (first asks and re-asks).</param>
/// <param name="ReAsks">Of those, re-asks after an unusable reply.</param>
public sealed record RoleUsage(string Model, string Role, long Calls, long ReAsks, double MeanInputTokens, double MeanOutputTokens)
{
    /// <summary>Extra calls per first ask (re-asks / first asks).</summary>
    public double ReAskRate => Calls - ReAsks <= 0 ? 0 : (double)ReAsks / (Calls - ReAsks);
}

/// <summary>The mean latency of one model's answered calls in the ledger.</summary>
public sealed record ModelLatency(string Model, long Calls, double MeanMilliseconds);

/// <summary>
/// How generation's candidates fared in the store's runs so far: how many were explored, how many got past the
/// dedup check (and safety) to be fast-scored, how many refinement rounds they went through, and how many
/// of those rounds reached a fast score (a reflection or rewrite can fail, or repeat the question).
/// </summary>
public sealed record GenerationShape(long Candidates, long Scored, long Rounds, long RoundsScored, IReadOnlyList<string> Runs)
{
    /// <summary>Share of explored candidates that were fast-scored.</summary>
    public double ScoredShare => Candidates == 0 ? 1 : (double)Scored / Candidates;

    /// <summary>Refinement rounds per fast-scored candidate.</summary>
    public double RoundsPerScored => Scored == 0 ? 0 : (double)Rounds / Scored;

    /// <summary>Share of refinement rounds whose rewrite was fast-scored.</summary>
    public double ScoredRoundShare => Rounds == 0 ? 1 : (double)RoundsScored / Rounds;
}

/// <summary>What a store already knows that makes a plan better than its assumptions (implemented by Adaem.Storage).</summary>
public interface IPlanHistory
{
    /// <summary>Per model and prompt role, the answered calls in the ledger.</summary>
    IReadOnlyList<RoleUsage> RoleUsage();

    /// <summary>Per model, the mean latency of its answered calls.</summary>
    IReadOnlyList<ModelLatency> Latencies();

    /// <summary>The generation runs' candidates so far; null when no run has taken a bandit step.</summary>
    GenerationShape? GenerationShape();
}

/// <summary>A store that knows nothing yet (or none at all).</summary>
public sealed class NoPlanHistory : IPlanHistory
{
    public static NoPlanHistory Instance { get; } = new();

    public IReadOnlyList<RoleUsage> RoleUsage() => [];

    public IReadOnlyList<ModelLatency> Latencies() => [];

    public GenerationShape? GenerationShape() => null;
}
