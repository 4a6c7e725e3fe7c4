namespace Adaem.Core.Analysis;

/// <summary>Internal-consistency statistics over a subjects × items matrix.</summary>
public static class Reliability
{
    /// <summary>
    /// Cronbach's alpha = k/(k−1) · (1 − Σ var(item) / var(total)), with rows as subjects and columns as
    /// items (sample variances; the convention cancels in the ratio). NaN with fewer than two items or
    /// subjects, or when the totals do not vary.
    /// </summary>
    public static double CronbachAlpha(IReadOnlyList<IReadOnlyList<double>> subjectsByItems)
    {
        var n = subjectsByItems.Count;
        if (n < 2)
            return double.NaN;
        var k = subjectsByItems[0].Count;
        if (k < 2)
            return double.NaN;
        if (subjectsByItems.Any(r => r.Count != k))
            throw new ArgumentException("every subject needs a value for every item");
        double itemVariances = 0;
        for (var j = 0; j < k; j++)
        {
            var column = new double[n];
            for (var i = 0; i < n; i++)
                column[i] = subjectsByItems[i][j];
            itemVariances += Descriptive.SampleVariance(column);
        }
        var totals = subjectsByItems.Select(r => r.Sum()).ToArray();
        var totalVariance = Descriptive.SampleVariance(totals);
        if (totalVariance <= 0)
            return double.NaN;
        return k / (k - 1.0) * (1 - itemVariances / totalVariance);
    }

    /// <summary>
    /// Mean over subjects of sd/mean across a subject's items (sample sd): how much a score moves between
    /// folds relative to its size. Subjects with a zero mean are skipped, since their ratio is undefined.
    /// </summary>
    public static double MeanCoefficientOfVariation(IReadOnlyList<IReadOnlyList<double>> subjectsByItems)
    {
        var ratios = new List<double>();
        foreach (var row in subjectsByItems)
        {
            if (row.Count < 2)
                continue;
            var mean = row.Average();
            if (Math.Abs(mean) < 1e-12)
                continue;
            ratios.Add(Descriptive.SampleStandardDeviation(row) / Math.Abs(mean));
        }
        return ratios.Count == 0 ? double.NaN : ratios.Average();
    }
}
