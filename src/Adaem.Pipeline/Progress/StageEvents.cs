using Adaem.Core.Evaluation;
using Adaem.Core.Models;

namespace Adaem.Pipeline;

/// <summary>Reports a stage's events to a caller's <see cref="IProgress{T}"/> (or nowhere, when the caller gave none).</summary>
internal sealed class StageEvents(string stage, IProgress<StageEvent>? sink)
{
    public string Stage { get; } = stage;

    public void Report(StageEvent e) => sink?.Report(e);

    /// <summary>Reports the pool's live counters, when it has them (the call engine does; scripted pools do not).</summary>
    public void ModelsReady(IModelPool pool, string storePath)
    {
        if (pool.GetService<ICallStatistics>() is { } calls)
            Report(new ModelsReady(Stage, calls, storePath));
    }

    public void Warning(string message) => Report(new StageWarning(Stage, message));

    public void PhaseStarted(string phase, int total, int alreadyDone = 0, bool deciles = true, string? group = null) =>
        Report(new PhaseStarted(Stage, phase, total, alreadyDone, deciles, group));

    /// <summary>Starts a phase of answer-and-judge items and returns the sink that OpinionJudging reports its counts to.</summary>
    public IProgress<EvaluationProgress> Answers(string phase, int items, bool deciles = true, string? group = null)
    {
        PhaseStarted(phase, items, 0, deciles, group);
        return new AnswerCounts(this);
    }

    /// <summary>Reports the failures among <paramref name="responses"/>, per model.</summary>
    public void Failures(IEnumerable<JudgedResponse> responses)
    {
        foreach (var f in FailureTally.Of(responses))
            Report(new AnswersFailed(Stage, f.Model, f.Unreadable, f.NotJudged));
    }

    private sealed class AnswerCounts(StageEvents events) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) =>
            events.Report(new PhaseProgressed(events.Stage, value.Done, value.Reused, value.Failed));
    }
}
