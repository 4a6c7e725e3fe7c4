using System.Globalization;
using Adaem.Core.Generation;

namespace Adaem.Tests.Generation;

/// <summary>One hand-written pair of tests/Adaem.Tests/Data/paraphrases.tsv.</summary>
public sealed record QuestionPair(string Kind, string A, string B)
{
    public const string Paraphrase = "paraphrase";
    public const string Related = "related";

    /// <summary>The same issue narrowed to a context (what the exploration step writes): a new question.</summary>
    public const string Narrower = "narrower";
    public const string Unrelated = "unrelated";

    /// <summary>A dedup check should drop B when A is stored exactly for paraphrases.</summary>
    public bool IsDuplicate => Kind == Paraphrase;
}

/// <summary>Dedup quality of one similarity on the pair set, for a threshold (duplicate when similarity &gt; threshold).</summary>
public sealed record DedupQuality(double Threshold, int TruePositives, int FalsePositives, int Positives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => Positives == 0 ? 1 : (double)TruePositives / Positives;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"threshold {Threshold:0.000}: precision {Precision:0.000}, recall {Recall:0.000} ({TruePositives}/{Positives}), F1 {F1:0.000}, false drops {FalsePositives}"
        );
}

/// <summary>The pair set and the measurements on it (docs/method-choices.md C4).</summary>
public static class ParaphraseSet
{
    public static IReadOnlyList<QuestionPair> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "paraphrases.tsv");
        var pairs = new List<QuestionPair>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("kind\t", StringComparison.Ordinal))
                continue;
            var f = line.Split('\t');
            if (
                f.Length != 3
                || f[0] is not (QuestionPair.Paraphrase or QuestionPair.Related or QuestionPair.Narrower or QuestionPair.Unrelated)
            )
                throw new FormatException(
                    $"{path}:{number}: expected 'kind<TAB>question<TAB>question' with kind paraphrase, related, narrower or unrelated"
                );
            pairs.Add(new QuestionPair(f[0], f[1], f[2]));
        }
        return pairs;
    }

    public static DedupQuality At(IReadOnlyList<(QuestionPair Pair, double Similarity)> scored, double threshold) =>
        new(
            threshold,
            scored.Count(s => s.Pair.IsDuplicate && s.Similarity > threshold),
            scored.Count(s => !s.Pair.IsDuplicate && s.Similarity > threshold),
            scored.Count(s => s.Pair.IsDuplicate)
        );

    /// <summary>
    /// The threshold with the highest F1 among those with at least <paramref name="minPrecision"/>: every cut
    /// between two neighbouring observed similarities is tried (its midpoint); returns the best cut and the
    /// range of thresholds that give the same decisions.
    /// </summary>
    public static (DedupQuality Best, double Low, double High) BestF1(
        IReadOnlyList<(QuestionPair Pair, double Similarity)> scored,
        double minPrecision = 0
    )
    {
        var values = scored.Select(s => s.Similarity).Append(0).Append(1).Distinct().Order().ToList();
        (DedupQuality Best, double Low, double High) best = (At(scored, 1), values[^2], 1);
        for (var i = 0; i + 1 < values.Count; i++)
        {
            var q = At(scored, (values[i] + values[i + 1]) / 2);
            if (q.Precision >= minPrecision && q.F1 > best.Best.F1)
                best = (q, values[i], values[i + 1]);
        }
        return best;
    }

    /// <summary>
    /// The rule of docs/method-choices.md C4: the lowest threshold on the grid that drops at most
    /// <see cref="DedupThresholds.MaxNarrowerDropped"/> of the narrower pairs and no related or unrelated pair.
    /// </summary>
    public static double RuleThreshold(IReadOnlyList<(QuestionPair Pair, double Similarity)> scored)
    {
        var narrower = scored.Where(s => s.Pair.Kind == QuestionPair.Narrower).ToList();
        var others = scored.Where(s => s.Pair.Kind is QuestionPair.Related or QuestionPair.Unrelated).ToList();
        for (var step = 0; step <= (int)Math.Round(1 / DedupThresholds.GridStep); step++)
        {
            var t = Math.Round(step * DedupThresholds.GridStep, 6);
            if (
                others.All(s => s.Similarity <= t)
                && narrower.Count(s => s.Similarity > t) <= DedupThresholds.MaxNarrowerDropped * narrower.Count
            )
                return t;
        }
        return 1;
    }

    /// <summary>How often a paraphrase pair is more similar than a pair of <paramref name="kind"/> (the area under the ROC
    /// curve).</summary>
    public static double Separation(IReadOnlyList<(QuestionPair Pair, double Similarity)> scored, string kind)
    {
        var positives = scored.Where(s => s.Pair.IsDuplicate).Select(s => s.Similarity).ToList();
        var negatives = scored.Where(s => s.Pair.Kind == kind).Select(s => s.Similarity).ToList();
        var wins = positives.Sum(p =>
            negatives.Sum(n =>
                p > n ? 1.0
                : p == n ? 0.5
                : 0
            )
        );
        return wins / (positives.Count * (double)negatives.Count);
    }
}
