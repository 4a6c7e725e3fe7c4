namespace Adaem.Core.Analysis;

/// <summary>The few descriptive statistics the analyses share, with their variance convention spelled out.</summary>
public static class Descriptive
{
    public static double Mean(IReadOnlyList<double> x) => x.Count == 0 ? double.NaN : x.Average();

    /// <summary>Variance with n − 1 in the denominator (unbiased), NaN below two values.</summary>
    public static double SampleVariance(IReadOnlyList<double> x)
    {
        if (x.Count < 2)
            return double.NaN;
        var m = x.Average();
        return x.Sum(v => (v - m) * (v - m)) / (x.Count - 1);
    }

    public static double SampleStandardDeviation(IReadOnlyList<double> x) => Math.Sqrt(SampleVariance(x));

    /// <summary>Standard deviation with n in the denominator: the spread of exactly these values, not an estimate.</summary>
    public static double PopulationStandardDeviation(IReadOnlyList<double> x)
    {
        if (x.Count == 0)
            return double.NaN;
        var m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / x.Count);
    }
}
