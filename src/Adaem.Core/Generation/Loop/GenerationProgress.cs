namespace Adaem.Core.Generation;

/// <summary>What one bandit step did, for progress displays.</summary>
public sealed record StepSummary(
    int Step,
    int Budget,
    string Arm,
    int Candidates,
    int Kept,
    int Dropped,
    double? Reward,
    double? BestScore
);

/// <summary>Where the loop reports progress; the CLI renders it as bars or plain lines. Calls come from one task at a time.</summary>
public interface IGenerationProgress
{
    void SeedsStarted(int total, int alreadyScored);
    void SeedScored(string arm, double? score);
    void StepsStarted(int budget, int alreadyDone);
    void StepFinished(StepSummary step);
    void Warning(string message);

    /// <summary>Seed expansion starts (only when generation.expand_seeds is set and the run has no arms yet).</summary>
    void SeedExpansionStarted(int requested) { }

    /// <summary>Seed expansion finished (only when generation.expand_seeds is set, before the seeds are scored).</summary>
    void SeedsExpanded(SeedExpansionResult result) { }
}

/// <summary>Reports nothing.</summary>
internal sealed class NoProgress : IGenerationProgress
{
    public static readonly NoProgress Instance = new();

    public void SeedsStarted(int total, int alreadyScored) { }

    public void SeedScored(string arm, double? score) { }

    public void StepsStarted(int budget, int alreadyDone) { }

    public void StepFinished(StepSummary step) { }

    public void Warning(string message) { }
}
