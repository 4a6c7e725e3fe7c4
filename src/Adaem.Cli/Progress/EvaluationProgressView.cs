using Adaem.Core.Evaluation;

namespace Adaem.Cli.Progress;

/// <summary>Shows a batch of answer-and-judge items (OpinionJudging.EvaluateAsync) as one phase of a stage.</summary>
internal sealed class EvaluationProgressView : IProgress<EvaluationProgress>
{
    private readonly StageProgress _progress;

    private EvaluationProgressView(StageProgress progress) => _progress = progress;

    /// <summary>Starts the phase now (so its ETA counts from here) and returns the sink for the batch's reports.</summary>
    /// <param name="items">Questions × models × samples, the batch's total.</param>
    public static IProgress<EvaluationProgress> Start(StageProgress progress, string phase, int items, bool deciles = true, string? group = null)
    {
        progress.StartPhase(phase, items, 0, deciles, group);
        return new EvaluationProgressView(progress);
    }

    public void Report(EvaluationProgress value) => _progress.Report(value.Done, value.Reused, value.Failed);
}
