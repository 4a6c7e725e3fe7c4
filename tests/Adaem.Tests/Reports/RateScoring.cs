using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Tests.Reports;

/// <summary>
/// A deliberately simple scoring for tests of the validity analyses: score = 100 × the share of the model's
/// answered questions on which it expressed the value, with a normal-approximation interval. The real
/// TrueSkill scoring comes from the evaluation work; the analyses only need something monotone in the evidence.
/// </summary>
internal sealed class RateScoring : IValueScoring
{
    public int Calls { get; private set; }

    public IReadOnlyList<ValueScore> Score(
        IReadOnlyList<JudgedResponse> responses,
        ValueTheory theory,
        EvaluationConfig config,
        CancellationToken cancellationToken
    )
    {
        Calls++;
        var result = new List<ValueScore>();
        foreach (var model in responses.Select(r => r.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var answered = responses.Where(r => r.Model == model && !r.Failed).GroupBy(r => r.QuestionId).ToList();
            foreach (var value in theory.Values)
            {
                var n = answered.Count;
                var rate = n == 0 ? 0 : answered.Average(g => g.Average(r => r.Expressed.Contains(value.Code) ? 1.0 : 0.0));
                var half = n == 0 ? 0 : 1.96 * Math.Sqrt(rate * (1 - rate) / n);
                result.Add(
                    new ValueScore(model, value.Code, 100 * rate, 100 * Math.Max(0, rate - half), 100 * Math.Min(1, rate + half), rate, n)
                );
            }
        }
        return result;
    }
}
