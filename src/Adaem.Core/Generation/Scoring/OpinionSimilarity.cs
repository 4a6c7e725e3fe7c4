using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>
/// Similarity of opinions (short "point: justification" texts) for the opinion-diversity term R_OD.
/// The paper uses BERTScore (App. C.3); adaem uses the cosine of sentence embeddings when `embeddings.model`
/// is configured (docs/generation.md says why) and a local n-gram cosine otherwise.
/// </summary>
public interface IOpinionSimilarity
{
    /// <summary>Prepares the texts (one batch of embeddings, or local vectors) and returns a similarity in [0, 1] over them.</summary>
    Task<Func<string, string, double>> PrepareAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>Cosine of hashed word and character n-gram vectors (<see cref="NgramVectorizer"/>); no model, no corpus.</summary>
public sealed class LocalOpinionSimilarity : IOpinionSimilarity
{
    public Task<Func<string, string, double>> PrepareAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<string, SparseVector>(StringComparer.Ordinal);
        foreach (var t in texts)
            vectors.TryAdd(t, NgramVectorizer.Vectorize(t));
        Func<string, string, double> sim = (a, b) =>
        {
            var va = vectors.TryGetValue(a, out var x) ? x : NgramVectorizer.Vectorize(a);
            var vb = vectors.TryGetValue(b, out var y) ? y : NgramVectorizer.Vectorize(b);
            return va.Dot(vb);
        };
        return Task.FromResult(sim);
    }
}

/// <summary>
/// Cosine of sentence embeddings from the configured embedding model, clamped to [0, 1]: one vector per
/// opinion (for the built-in encoder, mean-pooled token vectors, the similarity the model was trained for).
/// The texts of one question go in one batch through the call engine, which caches each opinion's vector.
/// </summary>
public sealed class EmbeddingOpinionSimilarity : IOpinionSimilarity
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly EmbeddingGenerationOptions? _options;

    /// <param name="run">The run and stage travel with each request, so the ledger books the embeddings to them.</param>
    public EmbeddingOpinionSimilarity(IEmbeddingGenerator<string, Embedding<float>> generator, string? run = null, string? stage = null)
    {
        _generator = generator;
        if (run is null && stage is null)
            return;
        _options = new EmbeddingGenerationOptions { AdditionalProperties = [] };
        if (run is not null)
            _options.AdditionalProperties[Models.CallContext.RunKey] = run;
        if (stage is not null)
            _options.AdditionalProperties[Models.CallContext.StageKey] = stage;
    }

    public async Task<Func<string, string, double>> PrepareAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (distinct.Count > 0)
        {
            var embeddings = await _generator.GenerateAsync(distinct, _options, cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != distinct.Count)
                throw new InvalidOperationException($"the embedding model returned {embeddings.Count} vectors for {distinct.Count} texts");
            for (var i = 0; i < distinct.Count; i++)
                vectors[distinct[i]] = DenseVector.Normalize(embeddings[i].Vector.Span);
        }
        return (a, b) =>
            vectors.TryGetValue(a, out var x) && vectors.TryGetValue(b, out var y) ? Math.Clamp(DenseVector.Dot(x, y), 0, 1) : 0;
    }
}
