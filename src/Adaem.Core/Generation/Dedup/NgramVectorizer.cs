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
internal static class NgramVectorizer
{
    private const int Bits = 22;
    private const int Mask = (1 << Bits) - 1;
    private const float UnigramWeight = 1.0f;
    private const float BigramWeight = 0.7f;
    private const float TrigramWeight = 0.35f;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "than",
        "so",
        "as",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "about",
        "over",
        "under",
        "between",
        "through",
        "during",
        "before",
        "after",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "we",
        "us",
        "our",
        "ours",
        "you",
        "your",
        "yours",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "i",
        "me",
        "my",
        "mine",
        "one",
        "ones",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "doing",
        "have",
        "has",
        "had",
        "having",
        "should",
        "would",
        "could",
        "can",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "ought",
        "not",
        "no",
        "nor",
        "yes",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "own",
        "same",
        "too",
        "very",
        "just",
        "also",
        "s",
        "t",
        "don",
        "doesn",
        "isn",
        "aren",
    };

    public static SparseVector Vectorize(string text)
    {
        // Lower-case letters and digits into one buffer; tokens are (start, length) spans of it, so no
        // per-word or per-gram strings are allocated.
        Span<char> buffer = text.Length <= 512 ? stackalloc char[text.Length] : new char[text.Length];
        Span<(int Start, int Length)> tokens =
            text.Length <= 512 ? stackalloc (int, int)[text.Length / 2 + 1] : new (int, int)[text.Length / 2 + 1];
        var stop = StopWords.GetAlternateLookup<ReadOnlySpan<char>>();
        int n = 0,
            count = 0,
            start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var ch = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(ch))
            {
                if (start < 0)
                    start = n;
                buffer[n++] = char.ToLowerInvariant(ch);
            }
            else if (ch is '\'' or '’' && i < text.Length)
            {
                continue; // "children's" -> "childrens"
            }
            else if (start >= 0)
            {
                if (!stop.Contains(buffer[start..n]))
                    tokens[count++] = (start, n - start);
                start = -1;
            }
        }
        if (count == 0)
            return SparseVector.Empty;

        var features = new List<(int Id, float Weight)>(count * 8);
        for (var t = 0; t < count; t++)
        {
            var word = buffer.Slice(tokens[t].Start, tokens[t].Length);
            features.Add((Hash('u', word, []), UnigramWeight));
            if (t + 1 < count)
                features.Add((Hash('b', word, buffer.Slice(tokens[t + 1].Start, tokens[t + 1].Length)), BigramWeight));
            // Character trigrams of "^word$", hashed straight from the span.
            var padded = word.Length + 2;
            for (var k = 0; k + 3 <= padded; k++)
                features.Add((Trigram(word, k), TrigramWeight));
        }
        features.Sort(static (a, b) => a.Id.CompareTo(b.Id));

        // Merge repeated features, with sublinear frequency: a word repeated in one text should not dominate it.
        var indices = new List<int>(features.Count);
        var weights = new List<float>(features.Count);
        for (var i = 0; i < features.Count; )
        {
            var id = features[i].Id;
            var raw = 0f;
            for (; i < features.Count && features[i].Id == id; i++)
                raw += features[i].Weight;
            indices.Add(id);
            weights.Add(raw <= 1f ? raw : 1f + MathF.Log(raw));
        }
        double norm = 0;
        foreach (var w in weights)
            norm += w * w;
        var inv = (float)(1.0 / Math.Sqrt(norm));
        var wa = weights.ToArray();
        for (var i = 0; i < wa.Length; i++)
            wa[i] *= inv;
        return new SparseVector(indices.ToArray(), wa);
    }

    /// <summary>The text reduced to its lower-cased words (stop words kept), for exact-duplicate checks.</summary>
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                    sb.Append(' ');
                sb.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else if (ch is '\'' or '’')
                continue;
            else
                space = true;
        }
        return sb.ToString();
    }

    // FNV-1a over a type tag and the gram's characters: stable across processes and platforms
    // (string.GetHashCode is randomised per process).
    private static int Hash(char tag, ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var h = 2166136261u;
        h = (h ^ tag) * 16777619u;
        foreach (var c in a)
            h = (h ^ c) * 16777619u;
        if (!b.IsEmpty)
        {
            h = (h ^ ' ') * 16777619u;
            foreach (var c in b)
                h = (h ^ c) * 16777619u;
        }
        return (int)(h & Mask);
    }

    /// <summary>The hash of the k-th trigram of "^" + word + "$" (same value Hash('c', gram) would give).</summary>
    private static int Trigram(ReadOnlySpan<char> word, int k)
    {
        var h = 2166136261u;
        h = (h ^ 'c') * 16777619u;
        for (var j = k; j < k + 3; j++)
        {
            var c =
                j == 0 ? '^'
                : j == word.Length + 1 ? '$'
                : word[j - 1];
            h = (h ^ c) * 16777619u;
        }
        return (int)(h & Mask);
    }
}
