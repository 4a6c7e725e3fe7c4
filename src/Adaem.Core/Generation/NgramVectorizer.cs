using System.Text;

namespace Adaem.Core.Generation;

/// <summary>
/// Turns a short text (a question, an opinion) into a hashed bag of word unigrams, word bigrams and
/// character trigrams of the content words, with sublinear term frequency, L2-normalised.
/// It needs no corpus statistics, so a vector never changes when more questions arrive: the dedup
/// index stays valid while it grows and a resumed run sees exactly the similarities the first run saw.
/// Stop words (including the yes/no framing words "should", "is", "do" ...) are left out, otherwise
/// every pair of "Should X be Y?" questions would look alike.
/// </summary>
public static class NgramVectorizer
{
    private const int Bits = 22;
    private const int Mask = (1 << Bits) - 1;
    private const float UnigramWeight = 1.0f;
    private const float BigramWeight = 0.7f;
    private const float TrigramWeight = 0.35f;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "than", "so", "as", "of", "to", "in", "on", "at", "by", "for", "from",
        "with", "without", "into", "onto", "about", "over", "under", "between", "through", "during", "before", "after", "up", "down",
        "out", "off", "again", "further", "once", "here", "there", "when", "where", "why", "how", "what", "which", "who", "whom",
        "this", "that", "these", "those", "it", "its", "itself", "they", "them", "their", "theirs", "we", "us", "our", "ours", "you",
        "your", "yours", "he", "him", "his", "she", "her", "hers", "i", "me", "my", "mine", "one", "ones",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "have", "has", "had", "having",
        "should", "would", "could", "can", "will", "shall", "may", "might", "must", "ought",
        "not", "no", "nor", "yes", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "only", "own",
        "same", "too", "very", "just", "also", "s", "t", "don", "doesn", "isn", "aren",
    };

    public static SparseVector Vectorize(string text)
    {
        var words = ContentWords(text);
        if (words.Count == 0) return SparseVector.Empty;
        var counts = new Dictionary<int, float>();
        void Add(int feature, float weight) => counts[feature] = counts.TryGetValue(feature, out var w) ? w + weight : weight;

        for (var i = 0; i < words.Count; i++)
        {
            Add(Hash('u', words[i], null), UnigramWeight);
            if (i + 1 < words.Count) Add(Hash('b', words[i], words[i + 1]), BigramWeight);
            var padded = "^" + words[i] + "$";
            for (var k = 0; k + 3 <= padded.Length; k++) Add(Hash('c', padded.Substring(k, 3), null), TrigramWeight);
        }

        // Sublinear frequency: a word repeated in one text should not dominate it.
        var indices = counts.Keys.ToArray();
        Array.Sort(indices);
        var weights = new float[indices.Length];
        double norm = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var raw = counts[indices[i]];
            var w = raw <= 1f ? raw : 1f + MathF.Log(raw);
            weights[i] = w;
            norm += w * w;
        }
        var inv = (float)(1.0 / Math.Sqrt(norm));
        for (var i = 0; i < weights.Length; i++) weights[i] *= inv;
        return new SparseVector(indices, weights);
    }

    /// <summary>Lower-cased letter/digit tokens that are not stop words.</summary>
    public static List<string> ContentWords(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        void Flush()
        {
            if (sb.Length == 0) return;
            var w = sb.ToString();
            sb.Clear();
            if (!StopWords.Contains(w)) words.Add(w);
        }
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
            else if (ch is '\'' or '’') continue; // "children's" -> "childrens"
            else Flush();
        }
        Flush();
        return words;
    }

    /// <summary>The text reduced to its lower-cased words (stop words kept), for exact-duplicate checks.</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch)) { if (space && sb.Length > 0) sb.Append(' '); sb.Append(char.ToLowerInvariant(ch)); space = false; }
            else if (ch is '\'' or '’') continue;
            else space = true;
        }
        return sb.ToString();
    }

    // FNV-1a over a type tag and the gram's characters: stable across processes and platforms
    // (string.GetHashCode is randomised per process).
    private static int Hash(char tag, string a, string? b)
    {
        var h = 2166136261u;
        void Mix(char c) { h ^= c; h *= 16777619u; }
        Mix(tag);
        foreach (var c in a) Mix(c);
        if (b is not null) { Mix(' '); foreach (var c in b) Mix(c); }
        return (int)(h & Mask);
    }
}
