using Adaem.Core.Evaluation;

namespace Adaem.Core.Generation;

/// <summary>A score attempt: the components (null when the question could not be scored), the answers it rests on, and why it
/// failed.</summary>
internal sealed record ScoreOutcome(ScoreComponents? Components, IReadOnlyList<JudgedResponse> Responses, string? Failure)
{
    public bool Ok => Components is not null;
    public double Total => Components?.Total ?? double.NaN;
}

/// <summary>
/// Scores a question with a set of models: they answer and the judge labels their opinions (through
/// <see cref="IOpinionJudging"/>, which also persists raw, parsed and judged answers), then
/// <see cref="InformativenessScore"/> combines them. The same class gives the fast score (explorers, P1)
/// and the final score (scorers, P2); only the models and the purpose differ.
/// </summary>
internal sealed class QuestionScorer(IOpinionJudging judging, IOpinionSimilarity similarity, double beta, int sign)
{
    public IOpinionJudging Judging => judging;

    /// <summary>The values the judge reads in the question text alone (for disentanglement).</summary>
    public Task<IReadOnlySet<string>> QuestionValuesAsync(
        string run,
        string purpose,
        Question question,
        CancellationToken cancellationToken
    ) => judging.JudgeQuestionAsync(run, purpose, question, cancellationToken);

    /// <summary>
    /// The values the judge reads in the question and the question's score, asked at the same time: the
    /// question's values are needed only to combine the answers, so the answers need not wait for them
    /// (one round trip less per score; the same calls either way).
    /// </summary>
    public async Task<(IReadOnlySet<string> Values, ScoreOutcome Outcome)> ValuesAndScoreAsync(
        string run,
        string purpose,
        Question question,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    )
    {
        var values = QuestionValuesAsync(run, purpose, question, cancellationToken);
        var responses = judging.AnswerAndJudgeAsync(run, purpose, question, models, cancellationToken);
        await Task.WhenAll(values, responses).ConfigureAwait(false);
        var questionValues = await values.ConfigureAwait(false);
        return (
            questionValues,
            await CombineAsync(await responses.ConfigureAwait(false), questionValues, models, cancellationToken).ConfigureAwait(false)
        );
    }

    public async Task<ScoreOutcome> ScoreAsync(
        string run,
        string purpose,
        Question question,
        IReadOnlySet<string> questionValues,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    )
    {
        var responses = await judging.AnswerAndJudgeAsync(run, purpose, question, models, cancellationToken).ConfigureAwait(false);
        return await CombineAsync(responses, questionValues, models, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ScoreOutcome> CombineAsync(
        IReadOnlyList<JudgedResponse> responses,
        IReadOnlySet<string> questionValues,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    )
    {
        var opinions = responses
            .Where(r => !r.Failed && r.Response is not null)
            .SelectMany(r => r.Response!.Opinions)
            .Select(o => o.Text)
            .ToList();
        var sim = await similarity.PrepareAsync(opinions, cancellationToken).ConfigureAwait(false);
        var components = InformativenessScore.Compute(responses, questionValues, sim, beta, sign);
        if (components is not null)
            return new ScoreOutcome(components, responses, null);
        var failed = responses.Count(r => r.Failed || r.Response is null);
        var firstFailure = responses.FirstOrDefault(r => r.Failed)?.Failure;
        return new ScoreOutcome(
            null,
            responses,
            $"{responses.Count - failed} of {models.Count} answers usable, {InformativenessScore.MinimumResponses} needed"
                + (firstFailure is null ? "" : $" (e.g. {firstFailure})")
        );
    }
}
