namespace Adaem.Core.Generation;

/// <summary>What the dedup check found for one candidate.</summary>
/// <param name="MeanTopK">Mean cosine similarity to the k most similar stored questions (fewer when fewer are stored).</param>
/// <param name="Nearest">Ids of those questions, most similar first.</param>
/// <param name="ExactDuplicateOf">Id of a stored question with the same normalised text, if any.</param>
public sealed record DedupResult(double MeanTopK, IReadOnlyList<string> Nearest, string? ExactDuplicateOf)
{
    /// <summary>The similarity of each of <see cref="Nearest"/>, in the same order (so two indexes' results can be merged).</summary>
    public IReadOnlyList<double> Similarities { get; init; } = [];

    public bool IsDuplicate(double threshold) => ExactDuplicateOf is not null || MeanTopK > threshold;
}

/// <summary>
/// The existing questions of a run (all arms), searchable by similarity. A candidate is a duplicate when
/// the mean similarity to its top-k nearest stored questions exceeds the threshold (Alg. 2, k = 3,
/// ε = 0.85), or when its normalised text equals a stored one.
/// The search is an inverted index over the hashed n-gram features: only questions that share a
/// feature with the candidate are touched, so a query costs the length of a few posting lists, not a
/// pass over every stored question.
/// </summary>
internal sealed class DedupIndex : IDedupIndex
{
    private readonly Dictionary<int, Posting> _postings = new();
    private readonly Dictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];
    private readonly Lock _lock = new();
    private float[] _scores = new float[1024];
    private readonly List<int> _touched = [];

    public DedupIndex(int topK = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        TopK = topK;
    }

    public int TopK { get; }

    public int Count
    {
        get
        {
            lock (_lock)
                return _ids.Count;
        }
    }

    public bool Contains(string id)
    {
        lock (_lock)
            return _ids.Contains(id);
    }

    public void Add(string id, string text) => Add(id, text, NgramVectorizer.Vectorize(text));

    public void Add(string id, string text, SparseVector vector)
    {
        lock (_lock)
        {
            var doc = _ids.Count;
            _ids.Add(id);
            _exact.TryAdd(NgramVectorizer.Normalize(text), id);
            if (doc >= _scores.Length)
                Array.Resize(ref _scores, Math.Max(_scores.Length * 2, doc + 1));
            for (var i = 0; i < vector.Count; i++)
            {
                if (!_postings.TryGetValue(vector.Indices[i], out var p))
                    _postings[vector.Indices[i]] = p = new Posting();
                p.Add(doc, vector.Weights[i]);
            }
        }
    }

    public DedupResult Check(string text) => Check(text, NgramVectorizer.Vectorize(text));

    // The local index needs no model: both complete synchronously, so the loop's hot path stays allocation-light.
    ValueTask IDedupIndex.AddAsync(IReadOnlyList<(string Id, string Text)> items, CancellationToken cancellationToken)
    {
        foreach (var (id, text) in items)
            Add(id, text);
        return ValueTask.CompletedTask;
    }

    ValueTask<DedupResult> IDedupIndex.CheckAsync(string text, CancellationToken cancellationToken) => ValueTask.FromResult(Check(text));

    public DedupResult Check(string text, SparseVector vector)
    {
        lock (_lock)
        {
            var exact = _exact.GetValueOrDefault(NgramVectorizer.Normalize(text));
            var scores = _scores;
            var touched = _touched;
            touched.Clear();
            for (var i = 0; i < vector.Count; i++)
            {
                if (!_postings.TryGetValue(vector.Indices[i], out var p))
                    continue;
                var qw = vector.Weights[i];
                var docs = p.Docs;
                var ws = p.Weights;
                for (var j = 0; j < p.Count; j++)
                {
                    var d = docs[j];
                    if (scores[d] == 0f)
                        touched.Add(d);
                    scores[d] += qw * ws[j];
                }
            }

            // Keep the k best in a small sorted buffer; k is tiny so insertion beats a heap.
            var k = Math.Min(TopK, _ids.Count);
            var bestDoc = new int[k];
            var bestScore = new float[k];
            var filled = 0;
            foreach (var d in touched)
            {
                var s = scores[d];
                scores[d] = 0f;
                if (filled < k)
                {
                    Insert(bestDoc, bestScore, filled, d, s);
                    filled++;
                }
                else if (s > bestScore[k - 1])
                    Insert(bestDoc, bestScore, k - 1, d, s);
            }
            if (k == 0)
                return new DedupResult(0, [], exact);

            // Stored questions sharing no feature have similarity 0 and still count towards the mean of k.
            double sum = 0;
            for (var i = 0; i < filled; i++)
                sum += bestScore[i];
            var nearest = new string[filled];
            var similarities = new double[filled];
            for (var i = 0; i < filled; i++)
            {
                nearest[i] = _ids[bestDoc[i]];
                similarities[i] = bestScore[i];
            }
            return new DedupResult(sum / k, nearest, exact) { Similarities = similarities };
        }
    }

    // Inserts (d, s) keeping buffer[0..pos] sorted descending; the element at pos is overwritten.
    private static void Insert(int[] docs, float[] scores, int pos, int d, float s)
    {
        var i = pos;
        while (i > 0 && scores[i - 1] < s)
        {
            docs[i] = docs[i - 1];
            scores[i] = scores[i - 1];
            i--;
        }
        docs[i] = d;
        scores[i] = s;
    }

    private sealed class Posting
    {
        public int[] Docs = new int[4];
        public float[] Weights = new float[4];
        public int Count;

        public void Add(int doc, float weight)
        {
            if (Count == Docs.Length)
            {
                Array.Resize(ref Docs, Count * 2);
                Array.Resize(ref Weights, Count * 2);
            }
            Docs[Count] = doc;
            Weights[Count] = weight;
            Count++;
        }
    }
}
