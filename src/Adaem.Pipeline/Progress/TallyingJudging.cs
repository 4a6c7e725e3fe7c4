using Adaem.Core.Evaluation;

namespace Adaem.Pipeline;

/// <summary>
/// The generation loop's opinion judging, with every failed answer (and every question text the judge could
/// not label) reported as an <see cref="AnswersFailed"/> event for the stage's summary. Nothing else changes.
/// </summary>
internal sealed class TallyingJudging(IOpinionJudging inner, StageEvents events) : IOpinionJudging
{
    public string? JudgeModel => inner.JudgeModel;

    public async Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(
        string run,
        string purpose,
        Question question,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    )
    {
        var responses = await inner.AnswerAndJudgeAsync(run, purpose, question, models, cancellationToken).ConfigureAwait(false);
        events.Failures(responses);
        return responses;
    }

    public async Task<IReadOnlySet<string>> JudgeQuestionAsync(
        string run,
        string purpose,
        Question question,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await inner.JudgeQuestionAsync(run, purpose, question, cancellationToken).ConfigureAwait(false);
        }
        catch (JudgeFailedException)
        {
            events.Report(new AnswersFailed(events.Stage, FailureTally.QuestionTexts, 0, 1));
            throw;
        }
    }
}
