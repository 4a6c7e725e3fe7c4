using MathNet.Numerics.Distributions;

namespace Adaem.Core.Analysis;

/// <summary>
/// Result of a paired t-test of "after" against "before". MeanDifference and T are after − before, so a
/// rise is positive. CohensD is d_z: the mean difference over the standard deviation of the differences,
/// the effect size that matches a paired design (and the one the AdAEM priming table reports).
/// </summary>
public sealed record PairedTestResult(
    int N,
    double MeanBefore,
    double MeanAfter,
    double MeanDifference,
    double T,
    int Df,
    double P,
    double CohensD
);

internal static class PairedTTest
{
    /// <summary>
    /// Differences of doubles of magnitude x carry rounding errors of about 1e-16·x; a spread below 1e-12·x is taken for
    /// none, since dividing by it would turn rounding into a t of 10^15 and a p of 0.
    /// </summary>
    public const double RelativeTolerance = 1e-12;

    /// <summary>Two-sided paired t-test. With fewer than two pairs, or differences that are all equal, T and P are NaN
    /// (no spread: the test is undefined, and we do not invent a p-value). "Equal" allows for rounding: a spread within
    /// <see cref="RelativeTolerance"/> of the largest input (0.4 − 0.3 against 0.7 − 0.6) is none.</summary>
    public static PairedTestResult Run(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        if (before.Count != after.Count)
            throw new ArgumentException("paired samples must have the same length");
        var n = before.Count;
        if (n == 0)
            return new PairedTestResult(0, double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN, double.NaN);
        var diffs = new double[n];
        for (var i = 0; i < n; i++)
            diffs[i] = after[i] - before[i];
        var meanBefore = before.Average();
        var meanAfter = after.Average();
        var meanDiff = diffs.Average();
        if (n < 2)
            return new PairedTestResult(n, meanBefore, meanAfter, meanDiff, double.NaN, 0, double.NaN, double.NaN);
        var sd = Descriptive.SampleStandardDeviation(diffs);
        var df = n - 1;
        var scale = before.Concat(after).Max(Math.Abs);
        if (sd <= RelativeTolerance * scale)
            return new PairedTestResult(n, meanBefore, meanAfter, meanDiff, double.NaN, df, double.NaN, double.NaN);
        var t = meanDiff / (sd / Math.Sqrt(n));
        var p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        return new PairedTestResult(n, meanBefore, meanAfter, meanDiff, t, df, Math.Min(1, p), meanDiff / sd);
    }
}
