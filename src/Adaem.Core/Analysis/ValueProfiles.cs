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
        for (var i = 0; i < Models.Count; i++) if (Models[i] == model) return Scores[i];
        throw new KeyNotFoundException($"no profile for model '{model}'");
    }

    /// <param name="measure">What goes in a cell: the score by default (e.g. the expressed rate instead).</param>
    public static ValueProfiles From(IReadOnlyList<ValueScore> scores, ValueTheory theory, IReadOnlyList<string>? modelOrder = null,
        Func<ValueScore, double>? measure = null)
    {
        var models = modelOrder ?? scores.Select(s => s.Model).Distinct(StringComparer.Ordinal).ToList();
        var values = theory.Values.Select(v => v.Code).ToList();
        var matrix = models.Select(_ => Enumerable.Repeat(double.NaN, values.Count).ToArray()).ToArray();
        var mIndex = models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        foreach (var s in scores)
        {
            if (!mIndex.TryGetValue(s.Model, out var mi)) continue;
            var vi = theory.IndexOf(s.Value);
            if (vi >= 0) matrix[mi][vi] = measure is null ? s.Score : measure(s);
        }
        return new ValueProfiles(models, values, matrix);
    }
}
