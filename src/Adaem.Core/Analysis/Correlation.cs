namespace Adaem.Core.Analysis;

/// <summary>Pearson and Spearman correlation. Both return NaN when a side has no variance, because a
/// constant profile carries no information about co-variation and 0 would pretend it does.</summary>
public static class Correlation
{
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
            throw new ArgumentException("the two samples must have the same length");
        var n = x.Count;
        if (n < 2)
            return double.NaN;
        double mx = 0,
            my = 0;
        for (var i = 0; i < n; i++)
        {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0,
            sxx = 0,
            syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx <= 0 || syy <= 0)
            return double.NaN;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }

    /// <summary>Spearman's rho: Pearson on ranks, ties get their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
            throw new ArgumentException("the two samples must have the same length");
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>1-based ranks; tied values share the mean of the ranks they occupy.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
                j++;
            var mean = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
                ranks[order[k]] = mean;
            i = j + 1;
        }
        return ranks;
    }
}
