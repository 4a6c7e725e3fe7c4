namespace Adaem.Core.Analysis;

/// <summary>One category's share of a question set.</summary>
public sealed record CategoryShare(string Category, int Count, double Share);

/// <summary>
/// The benchmark statistics of the paper's Table 1, computed on tokens (see <see cref="WordTokens"/>: words, and single characters for
/// Chinese, Japanese and Korean):
/// size, average length, Self-BLEU (×100, lower = less repetitive), Distinct-2 (distinct bigrams over all
/// bigrams of the set, higher = more varied), mean pairwise TF-IDF cosine (lower = more diverse), and how the
/// questions spread over topic categories (normalised entropy: 1 = even over the categories present).
/// </summary>
public sealed record BenchmarkStatistics(
    int Count,
    double AverageWords,
    double SelfBleu,
    int SelfBleuHypotheses,
    double Distinct2,
    double MeanPairwiseSimilarity,
    string SimilarityMethod,
    IReadOnlyList<CategoryShare> Categories,
    int Uncategorised,
    double CategoryEvenness
);

public static class TextStatistics
{
    public const string LocalSimilarity = "tf-idf cosine (local)";

    public static BenchmarkStatistics Compute(
        IReadOnlyList<string> questions,
        IReadOnlyList<string?>? categories = null,
        CancellationToken cancellationToken = default
    )
    {
        var tokens = questions.Select(q => (IReadOnlyList<string>)WordTokens.Of(q)).ToList();
        var count = questions.Count;
        var avg = count == 0 ? double.NaN : tokens.Average(t => t.Count);
        var selfBleu = SelfBleu.Compute(tokens, cancellationToken) * 100;
        var similarity = new TfIdfSimilarity(tokens).MeanPairwise();

        var cats = (categories ?? [])
            .Where(c => !string.IsNullOrWhiteSpace(c))
            .Select(c => c!.Trim())
            .GroupBy(c => c, StringComparer.OrdinalIgnoreCase)
            .Select(g => new CategoryShare(g.First(), g.Count(), count == 0 ? 0 : (double)g.Count() / count))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Category, StringComparer.Ordinal)
            .ToList();
        var categorised = cats.Sum(c => c.Count);
        return new BenchmarkStatistics(
            count,
            avg,
            selfBleu,
            count < 2 ? 0 : count,
            Distinct(tokens, 2),
            similarity,
            LocalSimilarity,
            cats,
            count - categorised,
            Evenness(cats.Select(c => c.Count).ToList())
        );
    }

    /// <summary>Distinct-n over the whole set: distinct n-grams / all n-grams (NaN when there are none).</summary>
    public static double Distinct(IReadOnlyList<IReadOnlyList<string>> sentences, int n)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var s in sentences)
        foreach (var (g, c) in NGrams.Count(s, n))
        {
            distinct.Add(g);
            total += c;
        }
        return total == 0 ? double.NaN : (double)distinct.Count / total;
    }

    /// <summary>Shannon entropy of the category counts divided by ln(k): 1 for an even spread, NaN below two categories.</summary>
    public static double Evenness(IReadOnlyList<int> counts)
    {
        var k = counts.Count(c => c > 0);
        if (k < 2)
            return double.NaN;
        double total = counts.Sum();
        var h = -counts.Where(c => c > 0).Sum(c => c / total * Math.Log(c / total));
        return h / Math.Log(k);
    }
}
