namespace Adaem.Core.Analysis;

/// <summary>
/// BLEU-4 (uniform weights, clipped n-gram precision, brevity penalty against the closest reference
/// length, shorter on ties) with "method 1" smoothing: an n-gram order with no match gets 0.1 matches
/// instead of 0, so one missing 4-gram does not zero a sentence.
/// </summary>
internal static class Bleu
{
    public const int MaxOrder = 4;
    public const double Epsilon = 0.1;

    public static double Sentence(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
    {
        if (hypothesis.Count == 0 || references.Count == 0)
            return 0;
        var matches = new double[MaxOrder];
        var totals = new double[MaxOrder];
        for (var n = 1; n <= MaxOrder; n++)
        {
            var hyp = NGrams.Count(hypothesis, n);
            var maxRef = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var r in references)
            foreach (var (g, c) in NGrams.Count(r, n))
                if (!maxRef.TryGetValue(g, out var m) || c > m)
                    maxRef[g] = c;
            foreach (var (g, c) in hyp)
            {
                totals[n - 1] += c;
                matches[n - 1] += Math.Min(c, maxRef.GetValueOrDefault(g));
            }
        }
        var closest = ClosestLength(hypothesis.Count, references.Select(r => r.Count));
        return Combine(matches, totals, hypothesis.Count, closest);
    }

    internal static double Combine(double[] matches, double[] totals, int hypLength, int refLength)
    {
        double logSum = 0;
        for (var n = 0; n < MaxOrder; n++)
        {
            // A sentence shorter than n words has no n-grams: that order counts as a 0 precision, smoothed.
            var num = matches[n] > 0 ? matches[n] : Epsilon;
            var den = Math.Max(totals[n], 1);
            logSum += Math.Log(num / den) / MaxOrder;
        }
        var bp = hypLength >= refLength ? 1.0 : Math.Exp(1 - (double)refLength / hypLength);
        return bp * Math.Exp(logSum);
    }

    internal static int ClosestLength(int hypLength, IEnumerable<int> refLengths)
    {
        var best = int.MaxValue;
        var bestGap = int.MaxValue;
        foreach (var l in refLengths)
        {
            var gap = Math.Abs(l - hypLength);
            if (gap < bestGap || (gap == bestGap && l < best))
            {
                best = l;
                bestGap = gap;
            }
        }
        return best;
    }
}

internal static class NGrams
{
    public static Dictionary<string, int> Count(IReadOnlyList<string> tokens, int n)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= tokens.Count; i++)
        {
            var g = n == 1 ? tokens[i] : string.Join('\u0001', tokens.Skip(i).Take(n));
            d[g] = d.GetValueOrDefault(g) + 1;
        }
        return d;
    }
}

/// <summary>
/// Self-BLEU of a set of sentences: the mean BLEU-4 of each sentence against all the others as references
/// (higher = more repetitive). Computed exactly for every sentence: for each n-gram we keep its largest and
/// second-largest count in any sentence (and who holds the largest), so "max count among the others" is
/// known in O(1) without re-reading the corpus; lengths are kept as a histogram for the brevity penalty.
/// This is the same number as the naive all-pairs loop, at O(total n-grams) cost, so no sampling is needed.
/// </summary>
public static class SelfBleu
{
    private readonly record struct Top(int Max, int Owner, int Second);

    /// <returns>Mean sentence BLEU in [0, 1]; NaN for fewer than two sentences.</returns>
    public static double Compute(IReadOnlyList<IReadOnlyList<string>> sentences, CancellationToken cancellationToken = default)
    {
        if (sentences.Count < 2)
            return double.NaN;
        var counts = new List<Dictionary<string, int>>[Bleu.MaxOrder];
        var tops = new Dictionary<string, Top>[Bleu.MaxOrder];
        for (var n = 1; n <= Bleu.MaxOrder; n++)
        {
            counts[n - 1] = new List<Dictionary<string, int>>(sentences.Count);
            var top = new Dictionary<string, Top>(StringComparer.Ordinal);
            for (var s = 0; s < sentences.Count; s++)
            {
                var c = NGrams.Count(sentences[s], n);
                counts[n - 1].Add(c);
                foreach (var (g, k) in c)
                {
                    if (!top.TryGetValue(g, out var t))
                        top[g] = new Top(k, s, 0);
                    else if (k > t.Max)
                        top[g] = new Top(k, s, t.Max);
                    else if (k > t.Second)
                        top[g] = t with { Second = k };
                }
            }
            tops[n - 1] = top;
        }
        var lengths = new SortedDictionary<int, int>();
        foreach (var s in sentences)
            lengths[s.Count] = lengths.GetValueOrDefault(s.Count) + 1;

        double sum = 0;
        for (var s = 0; s < sentences.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var len = sentences[s].Count;
            if (len == 0)
                continue; // an empty sentence scores 0, as in sentence BLEU
            var matches = new double[Bleu.MaxOrder];
            var totals = new double[Bleu.MaxOrder];
            for (var n = 0; n < Bleu.MaxOrder; n++)
            {
                foreach (var (g, k) in counts[n][s])
                {
                    totals[n] += k;
                    var t = tops[n][g];
                    var othersMax = t.Owner == s ? t.Second : t.Max;
                    matches[n] += Math.Min(k, othersMax);
                }
            }
            lengths[len]--;
            var closest = Bleu.ClosestLength(len, lengths.Where(x => x.Value > 0).Select(x => x.Key));
            lengths[len]++;
            sum += Bleu.Combine(matches, totals, len, closest);
        }
        return sum / sentences.Count;
    }
}
