using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis;

/// <summary>
/// Models' value profiles as a matrix: one row per model, one column per value of the theory (in the
/// theory's order). Built from value scores; a (model, value) without a score is NaN.
/// </summary>
public sealed record ValueProfiles(IReadOnlyList<string> Models, IReadOnlyList<string> Values, double[][] Scores)
{
    public double[] Row(string model)
    {
        for (var i = 0; i < Models.Count; i++)
            if (Models[i] == model)
                return Scores[i];
        throw new KeyNotFoundException($"no profile for model '{model}'");
    }

    /// <summary>Profiles of relative scores (0–100 win rates).</summary>
    public static ValueProfiles From(IReadOnlyList<ValueScore> scores, ValueTheory theory, IReadOnlyList<string>? modelOrder = null) =>
        From(scores, theory, modelOrder, s => s.Score);

    /// <summary>Profiles of plain expression rates (0–1): absolute, not relative to the other models.</summary>
    public static ValueProfiles ExpressionRates(
        IReadOnlyList<ValueScore> scores,
        ValueTheory theory,
        IReadOnlyList<string>? modelOrder = null
    ) => From(scores, theory, modelOrder, s => s.ExpressedRate);

    private static ValueProfiles From(
        IReadOnlyList<ValueScore> scores,
        ValueTheory theory,
        IReadOnlyList<string>? modelOrder,
        Func<ValueScore, double> pick
    )
    {
        var models = modelOrder ?? scores.Select(s => s.Model).Distinct(StringComparer.Ordinal).ToList();
        var values = theory.Values.Select(v => v.Code).ToList();
        var matrix = models.Select(_ => Enumerable.Repeat(double.NaN, values.Count).ToArray()).ToArray();
        var mIndex = models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        foreach (var s in scores)
        {
            if (!mIndex.TryGetValue(s.Model, out var mi))
                continue;
            var vi = theory.IndexOf(s.Value);
            if (vi >= 0)
                matrix[mi][vi] = pick(s);
        }
        return new ValueProfiles(models, values, matrix);
    }
}
