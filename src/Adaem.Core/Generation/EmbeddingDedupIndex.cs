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
/// resumed run embeds nothing it embedded before. The search is exact (a pass over every stored vector):
/// at 20,000 questions of 1,536 dimensions that is about 30 million multiply-adds per check, small next
/// to the model calls a step makes; the benchmark path uses the local index.
/// </summary>
public sealed class EmbeddingDedupIndex : IDedupIndex
{
    /// <summary>Vectors of recently checked texts, so adding a question just checked does not embed it again.</summary>
    private const int RecentLimit = 256;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly EmbeddingGenerationOptions _options;
    private readonly List<string> _ids = [];
    private readonly List<float[]> _vectors = [];
    private readonly Dictionary<string, string> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> _recent = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="run">The run and stage travel with each request, so the ledger books the embeddings to them.</param>
    public EmbeddingDedupIndex(IEmbeddingGenerator<string, Embedding<float>> generator, int topK = 3, string? run = null, string? stage = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        _generator = generator;
        TopK = topK;
        _options = new EmbeddingGenerationOptions { AdditionalProperties = [] };
        if (run is not null) _options.AdditionalProperties[CallContext.RunKey] = run;
        if (stage is not null) _options.AdditionalProperties[CallContext.StageKey] = stage;
    }

    public int TopK { get; }

    public int Count
    {
        get { lock (_lock) return _ids.Count; }
    }

    public async ValueTask AddAsync(IReadOnlyList<(string Id, string Text)> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return;
        var vectors = await EmbedAsync(items.Select(i => i.Text).ToList(), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            foreach (var (id, text) in items)
            {
                _ids.Add(id);
                _vectors.Add(vectors[text]);
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
            if (k == 0) return new DedupResult(0, [], exact);
            var best = new List<(int Doc, double Sim)>(k + 1);
            for (var d = 0; d < _vectors.Count; d++)
            {
                var s = Math.Clamp(DenseVector.Dot(v, _vectors[d]), 0, 1);
                if (best.Count == k && s <= best[^1].Sim) continue;
                var at = best.FindIndex(b => b.Sim < s);
                best.Insert(at < 0 ? best.Count : at, (d, s));
                if (best.Count > k) best.RemoveAt(k);
            }
            return new DedupResult(best.Sum(b => b.Sim) / k, best.Select(b => _ids[b.Doc]).ToList(), exact);
        }
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
                if (_recent.TryGetValue(t, out var v)) result[t] = v;
                else if (asked.Add(t)) missing.Add(t);
            }
        }
        if (missing.Count == 0) return result;
        var embeddings = await _generator.GenerateAsync(missing, _options, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != missing.Count)
            throw new InvalidOperationException($"the embedding model returned {embeddings.Count} vectors for {missing.Count} texts");
        lock (_lock)
        {
            if (_recent.Count + missing.Count > RecentLimit) _recent.Clear();
            for (var i = 0; i < missing.Count; i++)
            {
                var unit = DenseVector.Normalize(embeddings[i].Vector.Span);
                result[missing[i]] = unit;
                if (missing.Count <= RecentLimit) _recent[missing[i]] = unit;
            }
        }
        return result;
    }
}
