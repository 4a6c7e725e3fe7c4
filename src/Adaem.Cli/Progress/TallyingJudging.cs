using Adaem.Core.Evaluation;

namespace Adaem.Cli.Progress;

/// <summary>
/// The generation loop's opinion judging, with every failed answer (and every question text the judge could
/// not label) counted in the stage's <see cref="FailureTally"/> for the summary line. Nothing else changes.
/// </summary>
internal sealed class TallyingJudging(IOpinionJudging inner, FailureTally tally) : IOpinionJudging
{
    public string? JudgeModel => inner.JudgeModel;

    public async Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(string run, string purpose, Question question, IReadOnlyList<string> models,
        CancellationToken cancellationToken)
    {
        var responses = await inner.AnswerAndJudgeAsync(run, purpose, question, models, cancellationToken).ConfigureAwait(false);
        tally.Add(responses);
        return responses;
    }

    public async Task<IReadOnlySet<string>> JudgeQuestionAsync(string run, string purpose, Question question, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.JudgeQuestionAsync(run, purpose, question, cancellationToken).ConfigureAwait(false);
        }
        catch (JudgeFailedException)
        {
            tally.Add(FailureTally.QuestionTexts, 0, 1);
            throw;
        }
    }
}
