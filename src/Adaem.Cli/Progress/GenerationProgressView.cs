using System.Globalization;
using Adaem.Core.Generation;

namespace Adaem.Cli.Progress;

/// <summary>
/// Shows the generation loop as two phases of the `generate` stage: the seed questions scored (one per arm),
/// then the bandit steps, each step's arm, questions kept and best score so far as its detail.
/// </summary>
internal sealed class GenerationProgressView(StageProgress progress) : IGenerationProgress
{
    private int _kept;

    public void SeedExpansionStarted(int requested) => progress.StartPhase("seeds expanded", requested, deciles: false);

    public void SeedsExpanded(SeedExpansionResult r) => progress.Report(r.Added.Count, detail: string.Create(CultureInfo.InvariantCulture,
        $"{r.Asks} asks to the expander, {r.Duplicates} duplicate proposals dropped"));

    public void SeedsStarted(int total, int alreadyScored) => progress.StartPhase("seed questions scored", total, alreadyScored);

    public void SeedScored(string arm, double? score) => progress.Advance();

    public void StepsStarted(int budget, int alreadyDone) => progress.StartPhase("bandit steps", budget, alreadyDone);

    public void StepFinished(StepSummary s)
    {
        _kept += s.Kept;
        progress.Advance(string.Create(CultureInfo.InvariantCulture,
            $"arm {s.Arm}, kept {s.Kept}/{s.Candidates}, {_kept} kept in this run, best {(s.BestScore is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "-")}"));
    }

    public void Warning(string message) => progress.Warning(message);
}
