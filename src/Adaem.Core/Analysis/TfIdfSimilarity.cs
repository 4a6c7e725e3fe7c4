namespace Adaem.Core.Analysis;

/// <summary>
/// A local text similarity that needs no model: TF-IDF vectors over word tokens (raw term counts,
/// smoothed idf = ln((1 + N) / (1 + df)) + 1, L2-normalised) compared by cosine.
/// </summary>
internal sealed class TfIdfSimilarity
{
    private readonly Dictionary<string, double>[] _vectors;

    public TfIdfSimilarity(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in documents)
        foreach (var w in d.Distinct(StringComparer.Ordinal))
            df[w] = df.GetValueOrDefault(w) + 1;
        var n = documents.Count;
        _vectors = documents
            .Select(d =>
            {
                var v = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var w in d)
                    v[w] = v.GetValueOrDefault(w) + 1;
                foreach (var w in v.Keys.ToList())
                    v[w] *= Math.Log((1.0 + n) / (1.0 + df[w])) + 1;
                var norm = Math.Sqrt(v.Values.Sum(x => x * x));
                if (norm > 0)
                    foreach (var w in v.Keys.ToList())
                        v[w] /= norm;
                return v;
            })
            .ToArray();
    }

    public int Count => _vectors.Length;

    public double Cosine(int i, int j)
    {
        var (a, b) = _vectors[i].Count <= _vectors[j].Count ? (_vectors[i], _vectors[j]) : (_vectors[j], _vectors[i]);
        double s = 0;
        foreach (var (w, x) in a)
            if (b.TryGetValue(w, out var y))
                s += x * y;
        return s;
    }

    /// <summary>
    /// Mean cosine over all unordered pairs, exactly, in O(total tokens): with unit vectors u_i,
    /// Σ_{i≠j} u_i·u_j = |Σ u_i|² − Σ |u_i|², so no pair loop is needed even for 10k+ questions.
    /// Documents without tokens are zero vectors and count as similarity 0 with everything.
    /// </summary>
    public double MeanPairwise()
    {
        var n = _vectors.Length;
        if (n < 2)
            return double.NaN;
        var sum = new Dictionary<string, double>(StringComparer.Ordinal);
        double selfDots = 0;
        foreach (var v in _vectors)
        {
            foreach (var (w, x) in v)
                sum[w] = sum.GetValueOrDefault(w) + x;
            selfDots += v.Values.Sum(x => x * x);
        }
        var total = sum.Values.Sum(x => x * x);
        return (total - selfDots) / ((double)n * (n - 1));
    }
}
