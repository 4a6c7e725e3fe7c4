using System.Buffers;

namespace Adaem.Core.Analysis;

/// <summary>
/// Pairwise distances between the models' value profiles, and whether each difference is more than
/// question-sampling noise.
/// <para><see cref="ScoreDistance"/>: root-mean-square difference of the 0–100 scores over the values
/// (Euclidean distance / √d), i.e. "by how many points the two profiles differ on a typical value".</para>
/// <para><see cref="P"/>: a paired sign-flip permutation test over questions. Per question, the two models'
/// value-expression vectors are exchangeable under "no value difference"; the statistic is the RMS
/// difference of their expressed-rate profiles. <see cref="PAdjusted"/> is Holm-corrected over all pairs;
/// <see cref="Permutations"/> is the number of sign flips actually used per pair (raised so that Holm can be met).
/// Null where no per-question data was given (then no claim of significance is made).</para>
/// </summary>
public sealed record ModelDistanceMatrix(
    IReadOnlyList<string> Models,
    double[][] ScoreDistance,
    double[][]? ExpressedDistance,
    double[][]? P,
    double[][]? PAdjusted,
    int[][]? QuestionsUsed,
    int Permutations,
    double Alpha
)
{
    public bool Significant(int i, int j) => PAdjusted is not null && !double.IsNaN(PAdjusted[i][j]) && PAdjusted[i][j] < Alpha;
}

public static class ModelDistances
{
    public static double RmsDistance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        var n = 0;
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
                continue;
            sum += (a[i] - b[i]) * (a[i] - b[i]);
            n++;
        }
        return n == 0 ? double.NaN : Math.Sqrt(sum / n);
    }

    /// <param name="profiles">Scores per model (rows in <paramref name="profiles"/>.Models order).</param>
    /// <param name="expressed">Optional per model: question id → per-value expression (0/1, or the mean over samples),
    /// in the same value order as the profiles. Enables the permutation test.</param>
    public static ModelDistanceMatrix Compute(
        ValueProfiles profiles,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>>? expressed,
        int permutations = 999,
        long seed = 1,
        double alpha = 0.05,
        CancellationToken cancellationToken = default
    )
    {
        var m = profiles.Models.Count;
        var dist = Square(m);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < m; j++)
            dist[i][j] = i == j ? 0 : RmsDistance(profiles.Scores[i], profiles.Scores[j]);
        if (expressed is null)
            return new ModelDistanceMatrix(profiles.Models, dist, null, null, null, null, 0, alpha);

        var exp = Square(m);
        var p = Square(m);
        var used = new int[m][];
        for (var i = 0; i < m; i++)
            used[i] = new int[m];
        var pairs = new List<(int I, int J)>();
        for (var i = 0; i < m; i++)
        for (var j = i + 1; j < m; j++)
            pairs.Add((i, j));
        var effective = EffectivePermutations(permutations, pairs.Count, alpha);
        // Each model's questions in order once, not once per pair (a study of the paper's size has 120 pairs of 12,310 questions).
        var ordered = profiles
            .Models.Select(model => expressed.TryGetValue(model, out var e) ? e.Keys.Order(StringComparer.Ordinal).ToArray() : null)
            .ToArray();
        // Pairs are independent (own seed each), so they run in parallel and stay reproducible.
        Parallel.For(
            0,
            pairs.Count,
            new ParallelOptions { CancellationToken = cancellationToken },
            k =>
            {
                var (i, j) = pairs[k];
                expressed.TryGetValue(profiles.Models[i], out var a);
                expressed.TryGetValue(profiles.Models[j], out var b);
                var (observed, pValue, n) =
                    a is null || b is null
                        ? (double.NaN, double.NaN, 0)
                        : SignFlipTest(a, ordered[i]!, b, effective, seed + i * 7919 + j, cancellationToken);
                exp[i][j] = exp[j][i] = observed;
                p[i][j] = p[j][i] = pValue;
                used[i][j] = used[j][i] = n;
            }
        );
        var adjusted = Square(m);
        var holm = Holm(pairs.Select(x => p[x.I][x.J]).ToArray());
        for (var k = 0; k < pairs.Count; k++)
        {
            var (i, j) = pairs[k];
            adjusted[i][j] = adjusted[j][i] = holm[k];
        }
        for (var i = 0; i < m; i++)
        {
            p[i][i] = adjusted[i][i] = double.NaN;
            exp[i][i] = 0;
        }
        return new ModelDistanceMatrix(profiles.Models, dist, exp, p, adjusted, used, effective, alpha);
    }

    /// <summary>
    /// The permutations actually run: at least <paramref name="requested"/>, and enough that the smallest
    /// attainable p-value survives Holm's correction over <paramref name="pairs"/> tests at <paramref name="alpha"/>
    /// (Monte-Carlo p-values are never below 1/(R+1), so too few permutations would make every pair "not significant").
    /// </summary>
    public static int EffectivePermutations(int requested, int pairs, double alpha) =>
        Math.Max(requested, (int)Math.Ceiling(2.0 * Math.Max(pairs, 1) / alpha) - 1);

    /// <summary>Exceedances after which a pair's test stops early (Besag–Clifford): its p-value is then clearly large.</summary>
    public const int StopAfterExceedances = 20;

    /// <summary>
    /// Paired sign-flip permutation test on the questions both models answered. Returns the observed RMS
    /// difference of expressed-rate profiles (in points, ×100), the Monte-Carlo p-value and the number of
    /// questions used. p = (1 + #≥) / (1 + R) over R sign flips; once <see cref="StopAfterExceedances"/> flips have
    /// reached the observed value the test stops and reports h / r (the sequential estimate of Besag and Clifford).
    /// </summary>
    public static (double Observed, double P, int Questions) SignFlipTest(
        IReadOnlyDictionary<string, double[]> a,
        IReadOnlyDictionary<string, double[]> b,
        int permutations,
        long seed,
        CancellationToken cancellationToken = default
    ) => SignFlipTest(a, [.. a.Keys.Order(StringComparer.Ordinal)], b, permutations, seed, cancellationToken);

    /// <summary>The test with <paramref name="a"/>'s question ids in ordinal order; the differences go into one pooled array.</summary>
    private static (double Observed, double P, int Questions) SignFlipTest(
        IReadOnlyDictionary<string, double[]> a,
        string[] ordered,
        IReadOnlyDictionary<string, double[]> b,
        int permutations,
        long seed,
        CancellationToken cancellationToken
    )
    {
        // The questions both answered, and the values both have on all of them.
        int n = 0,
            dims = int.MaxValue;
        foreach (var q in ordered)
        {
            if (!b.TryGetValue(q, out var vb))
                continue;
            n++;
            dims = Math.Min(dims, Math.Min(a[q].Length, vb.Length));
        }
        if (n == 0)
            return (double.NaN, double.NaN, 0);
        var deltas = ArrayPool<double>.Shared.Rent(n * dims);
        try
        {
            var k = 0;
            foreach (var q in ordered)
            {
                if (!b.TryGetValue(q, out var vb))
                    continue;
                var va = a[q];
                for (var v = 0; v < dims; v++)
                    deltas[k * dims + v] = va[v] - vb[v];
                k++;
            }
            var rng = new Random(unchecked((int)seed));
            var (observed, atLeast, done) = OnlySigns(deltas.AsSpan(0, n * dims))
                ? BitsetFlips(deltas, n, dims, permutations, rng, cancellationToken)
                : FloatFlips(deltas, n, dims, permutations, rng, cancellationToken);
            var p = atLeast >= StopAfterExceedances ? (double)atLeast / done : (1.0 + atLeast) / (1.0 + permutations);
            return (observed * 100, p, n);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(deltas);
        }
    }

    /// <summary>Every difference −1, 0 or +1.</summary>
    private static bool OnlySigns(ReadOnlySpan<double> deltas)
    {
        foreach (var x in deltas)
            if (x is not (0 or 1 or -1))
                return false;
        return true;
    }

    /// <summary>
    /// The common case (one sample per question, so every difference is −1, 0 or +1): per value, bit masks of the
    /// questions with +1 and with −1; a random flip mask F then gives the flipped sum as
    /// (|P| − 2·|P∧F|) − (|N| − 2·|N∧F|), 64 questions per popcount. Statistics are compared as exact integer
    /// sums of squares. Returns the observed RMS (as a share), exceedances and permutations done.
    /// </summary>
    private static (double Observed, int AtLeast, int Done) BitsetFlips(
        double[] deltas,
        int n,
        int dims,
        int permutations,
        Random rng,
        CancellationToken ct
    )
    {
        var words = (n + 63) / 64;
        var pos = new ulong[dims * words];
        var neg = new ulong[dims * words];
        var posCount = new int[dims];
        var negCount = new int[dims];
        for (var q = 0; q < n; q++)
        for (var v = 0; v < dims; v++)
        {
            if (deltas[q * dims + v] > 0)
            {
                pos[v * words + q / 64] |= 1UL << (q % 64);
                posCount[v]++;
            }
            else if (deltas[q * dims + v] < 0)
            {
                neg[v * words + q / 64] |= 1UL << (q % 64);
                negCount[v]++;
            }
        }
        long observedSq = 0;
        for (var v = 0; v < dims; v++)
            observedSq += (long)(posCount[v] - negCount[v]) * (posCount[v] - negCount[v]);
        var flipBytes = new byte[words * 8];
        var atLeast = 0;
        for (var r = 1; r <= permutations; r++)
        {
            if ((r & 63) == 0)
                ct.ThrowIfCancellationRequested();
            rng.NextBytes(flipBytes);
            var flip = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(flipBytes);
            long sq = 0;
            for (var v = 0; v < dims; v++)
            {
                int pf = 0,
                    nf = 0;
                var baseIndex = v * words;
                for (var w = 0; w < words; w++)
                {
                    pf += System.Numerics.BitOperations.PopCount(pos[baseIndex + w] & flip[w]);
                    nf += System.Numerics.BitOperations.PopCount(neg[baseIndex + w] & flip[w]);
                }
                long sum = posCount[v] - 2 * pf - (negCount[v] - 2 * nf);
                sq += sum * sum;
            }
            if (sq >= observedSq && ++atLeast >= StopAfterExceedances)
                return (Math.Sqrt((double)observedSq / dims) / n, atLeast, r);
        }
        return (Math.Sqrt((double)observedSq / dims) / n, atLeast, permutations);
    }

    /// <summary>The general case (several samples per question give fractional differences).</summary>
    private static (double Observed, int AtLeast, int Done) FloatFlips(
        double[] flat,
        int n,
        int dims,
        int permutations,
        Random rng,
        CancellationToken ct
    )
    {
        var sums = new double[dims];
        var observed = Statistic(flat, n, dims, null, sums);
        var signs = new bool[n];
        var atLeast = 0;
        for (var r = 1; r <= permutations; r++)
        {
            if ((r & 63) == 0)
                ct.ThrowIfCancellationRequested();
            for (var q = 0; q < n; q++)
                signs[q] = rng.Next(2) == 0;
            // A tiny tolerance so that permutations equal to the observed value count as "at least as large".
            if (Statistic(flat, n, dims, signs, sums) >= observed - 1e-12 && ++atLeast >= StopAfterExceedances)
                return (observed, atLeast, r);
        }
        return (observed, atLeast, permutations);
    }

    private static double Statistic(double[] flat, int n, int dims, bool[]? flip, double[] sums)
    {
        Array.Clear(sums);
        for (var q = 0; q < n; q++)
        {
            var offset = q * dims;
            if (flip is not null && flip[q])
                for (var v = 0; v < dims; v++)
                    sums[v] -= flat[offset + v];
            else
                for (var v = 0; v < dims; v++)
                    sums[v] += flat[offset + v];
        }
        double sumSq = 0;
        for (var v = 0; v < dims; v++)
        {
            var mean = sums[v] / n;
            sumSq += mean * mean;
        }
        return Math.Sqrt(sumSq / dims);
    }

    /// <summary>Holm–Bonferroni step-down adjusted p-values (NaN inputs stay NaN and do not count as tests).</summary>
    public static double[] Holm(IReadOnlyList<double> p)
    {
        var result = p.Select(_ => double.NaN).ToArray();
        var idx = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ToArray();
        var m = idx.Length;
        double running = 0;
        for (var k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1, (m - k) * p[idx[k]]));
            result[idx[k]] = running;
        }
        return result;
    }

    private static double[][] Square(int m) => Enumerable.Range(0, m).Select(_ => new double[m]).ToArray();
}
