namespace Adaem.Core.Analysis;

/// <summary>
/// How well a benchmark tells models apart (the paper's MFT comparison, App. J.2):
/// <see cref="MeanProfileCorrelation"/> is the mean Pearson correlation between every pair of model
/// profiles (lower = the models' value patterns differ more); <see cref="MeanWithinModelSpread"/> is the
/// mean over models of the standard deviation of a model's scores across values (higher = the benchmark
/// does not flatten a model into one number). Spread uses the population sd, which reproduces the
/// paper's table (e.g. MFQ 0.096).
/// </summary>
public sealed record DistinguishabilityResult(
    double MeanProfileCorrelation,
    double MeanWithinModelSpread,
    int Models,
    int Values,
    int PairsUsed
);

public static class Distinguishability
{
    /// <param name="profiles">One row per model, one column per value, on any common scale.</param>
    public static DistinguishabilityResult Compute(IReadOnlyList<IReadOnlyList<double>> profiles)
    {
        var rows = profiles.Select(r => r.ToArray()).ToList();
        var values = rows.Count == 0 ? 0 : rows[0].Length;
        var correlations = new List<double>();
        for (var i = 0; i < rows.Count; i++)
        for (var j = i + 1; j < rows.Count; j++)
        {
            var (a, b) = Complete(rows[i], rows[j]);
            var r = Correlation.Pearson(a, b);
            if (!double.IsNaN(r))
                correlations.Add(r);
        }
        var spreads = rows.Select(r => r.Where(v => !double.IsNaN(v)).ToArray())
            .Where(r => r.Length > 0)
            .Select(r => Descriptive.PopulationStandardDeviation(r))
            .ToList();
        return new DistinguishabilityResult(
            correlations.Count == 0 ? double.NaN : correlations.Average(),
            spreads.Count == 0 ? double.NaN : spreads.Average(),
            rows.Count,
            values,
            correlations.Count
        );
    }

    private static (double[], double[]) Complete(double[] a, double[] b)
    {
        var idx = Enumerable.Range(0, Math.Min(a.Length, b.Length)).Where(i => !double.IsNaN(a[i]) && !double.IsNaN(b[i])).ToArray();
        return (idx.Select(i => a[i]).ToArray(), idx.Select(i => b[i]).ToArray());
    }
}
