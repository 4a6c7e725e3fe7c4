using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>
/// The existing questions of a run, for the dedup check (Alg. 2: mean similarity to the top-k nearest
/// above ε, or the same normalised text). <see cref="DedupIndex"/> is the local one (hashed n-gram cosine);
/// <see cref="EmbeddingDedupIndex"/> uses the configured embedding model, as the paper did.
/// </summary>
public interface IDedupIndex
{
    int TopK { get; }
    int Count { get; }

    /// <summary>Adds questions in order (one embedding batch for the model-backed index).</summary>
    ValueTask AddAsync(IReadOnlyList<(string Id, string Text)> items, CancellationToken cancellationToken);

    ValueTask<DedupResult> CheckAsync(string text, CancellationToken cancellationToken);
}

/// <summary>
/// Dedup with an embedding model: cosine of the model's vectors (clamped to [0, 1]), the same top-k mean
/// and exact-text rule as the local index. Vectors come through the call engine's embedding cache, so a
/// resumed run embeds nothing it embedded before. The search is exact: one SIMD pass over every stored
/// vector, kept row after row in one contiguous array (20,000 questions of 384 dimensions are 7.7 million
/// multiply-adds per check; see the encoder bench).
/// </summary>
internal sealed class EmbeddingDedupIndex : IDedupIndex
{
    /// <summary>Vectors of recently checked texts, so adding a question just checked does not embed it again.</summary>
    private const int RecentLimit = 256;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly EmbeddingGenerationOptions _options;
    private readonly List<string> _ids = [];

    /// <summary>The stored unit vectors, row after row (<see cref="_dimensions"/> floats each); grows by doubling.</summary>
    private float[] _matrix = [];
    private int _dimensions = -1;
    private readonly Dictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> _recent = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="run">The run and stage travel with each request, so the ledger books the embeddings to them.</param>
    public EmbeddingDedupIndex(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        int topK = 3,
        string? run = null,
        string? stage = null
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        _generator = generator;
        TopK = topK;
        _options = new EmbeddingGenerationOptions { AdditionalProperties = [] };
        if (run is not null)
            _options.AdditionalProperties[CallContext.RunKey] = run;
        if (stage is not null)
            _options.AdditionalProperties[CallContext.StageKey] = stage;
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

    public async ValueTask AddAsync(IReadOnlyList<(string Id, string Text)> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
            return;
        var vectors = await EmbedAsync(items.Select(i => i.Text).ToList(), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            foreach (var (id, text) in items)
            {
                var v = vectors[text];
                if (_dimensions < 0)
                    _dimensions = v.Length;
                if (v.Length != _dimensions)
                    throw new InvalidOperationException(
                        $"the embedding model returned a vector of {v.Length} dimensions after vectors of {_dimensions}"
                    );
                var at = _ids.Count * _dimensions;
                if (at + _dimensions > _matrix.Length)
                    Array.Resize(ref _matrix, Math.Max(_matrix.Length * 2, at + _dimensions * 64));
                v.CopyTo(_matrix, at);
                _ids.Add(id);
                _exact.TryAdd(NgramVectorizer.Normalize(text), id);
            }
        }
    }

    public async ValueTask<DedupResult> CheckAsync(string text, CancellationToken cancellationToken)
    {
        var v = (await EmbedAsync([text], cancellationToken).ConfigureAwait(false))[text];
        lock (_lock)
        {
            var exact = _exact.GetValueOrDefault(NgramVectorizer.Normalize(text));
            var k = Math.Min(TopK, _ids.Count);
            if (k == 0)
                return new DedupResult(0, [], exact);
            var bestDoc = new int[k];
            var bestSim = new double[k];
            var filled = 0;
            var matrix = _matrix.AsSpan(0, _ids.Count * _dimensions);
            for (var d = 0; d < _ids.Count; d++)
            {
                var s = Math.Clamp(DenseVector.Dot(v, matrix.Slice(d * _dimensions, _dimensions)), 0, 1);
                if (filled < k)
                    Insert(bestDoc, bestSim, filled++, d, s);
                else if (s > bestSim[k - 1])
                    Insert(bestDoc, bestSim, k - 1, d, s);
            }
            var nearest = new string[k];
            for (var i = 0; i < k; i++)
                nearest[i] = _ids[bestDoc[i]];
            return new DedupResult(bestSim.Sum() / k, nearest, exact) { Similarities = bestSim };
        }
    }

    // Inserts (d, s) keeping sims[0..pos] sorted descending; the element at pos is overwritten (k is tiny).
    private static void Insert(int[] docs, double[] sims, int pos, int d, double s)
    {
        var i = pos;
        while (i > 0 && sims[i - 1] < s)
        {
            docs[i] = docs[i - 1];
            sims[i] = sims[i - 1];
            i--;
        }
        docs[i] = d;
        sims[i] = s;
    }

    /// <summary>Unit vectors of the texts, asking the model (one batch) only for those not seen recently.</summary>
    private async Task<Dictionary<string, float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        var asked = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var t in texts)
            {
                if (_recent.TryGetValue(t, out var v))
                    result[t] = v;
                else if (asked.Add(t))
                    missing.Add(t);
            }
        }
        if (missing.Count == 0)
            return result;
        var embeddings = await _generator.GenerateAsync(missing, _options, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != missing.Count)
            throw new InvalidOperationException($"the embedding model returned {embeddings.Count} vectors for {missing.Count} texts");
        lock (_lock)
        {
            if (_recent.Count + missing.Count > RecentLimit)
                _recent.Clear();
            for (var i = 0; i < missing.Count; i++)
            {
                var unit = DenseVector.Normalize(embeddings[i].Vector.Span);
                result[missing[i]] = unit;
                if (missing.Count <= RecentLimit)
                    _recent[missing[i]] = unit;
            }
        }
        return result;
    }
}
