using System.Globalization;
using Adaem.Core.Generation;

namespace Adaem.Pipeline;

/// <summary>
/// The generation loop's progress as stage events: the seeds expanded, the seed questions scored (one per arm),
/// then the bandit steps, each with its arm, the questions it kept and the best score so far as detail.
/// </summary>
internal sealed class GenerationEvents(StageEvents events) : IGenerationProgress
{
    private int _kept;

    public void SeedExpansionStarted(int requested) => events.PhaseStarted("seeds expanded", requested, deciles: false);

    public void SeedsExpanded(SeedExpansionResult r) =>
        events.Report(
            new PhaseProgressed(
                events.Stage,
                r.Added.Count,
                Detail: string.Create(
                    CultureInfo.InvariantCulture,
                    $"{r.Asks} asks to the expander, {r.Duplicates} duplicate proposals dropped"
                )
            )
        );

    public void SeedsStarted(int total, int alreadyScored) => events.PhaseStarted("seed questions scored", total, alreadyScored);

    public void SeedScored(string arm, double? score) => events.Report(new PhaseAdvanced(events.Stage));

    public void StepsStarted(int budget, int alreadyDone) => events.PhaseStarted("bandit steps", budget, alreadyDone);

    public void StepFinished(StepSummary s)
    {
        var kept = Interlocked.Add(ref _kept, s.Kept);
        events.Report(
            new PhaseAdvanced(
                events.Stage,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"arm {s.Arm}, kept {s.Kept}/{s.Candidates}, {kept} kept in this run, best {(s.BestScore is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "-")}"
                )
            )
        );
    }

    public void Warning(string message) => events.Warning(message);
}
