using Adaem.Core.Configuration;
using Adaem.Core.Theory;

namespace Adaem.Core.Evaluation;

/// <summary>A model's score on one value: 0-100 relative win rate with its confidence interval,
/// plus the plain share of questions on which the model expressed the value.</summary>
public sealed record ValueScore(string Model, string Value, double Score, double? CiLow, double? CiHigh, double ExpressedRate, int N)
{
    /// <summary>The language the model was asked in, for a cross-lingual evaluation (evaluation.languages); null for a run in one
    /// language.</summary>
    public string? Language { get; init; }
}

/// <summary>Turns judged responses into value scores (the rating step), so analyses can re-score subsets.</summary>
public interface IValueScoring
{
    IReadOnlyList<ValueScore> Score(
        IReadOnlyList<JudgedResponse> responses,
        ValueTheory theory,
        EvaluationConfig config,
        CancellationToken cancellationToken
    );
}
