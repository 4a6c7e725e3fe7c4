using Microsoft.Extensions.AI;

namespace Adaem.Providers.Local;

/// <summary>
/// An in-process sentence encoder as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, so it sits
/// behind the call engine like any embedding model (each text's vector cached in the store, batches,
/// the ledger). Texts are encoded in batches of similar length: a batch is padded to its longest text,
/// so sorting by length first saves the padding.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Texts per forward pass; larger batches gained nothing on a 2-core machine (docs/providers.md).</summary>
    public const int BatchSize = 32;

    private readonly LocalEncoder _encoder;
    private readonly Func<SentenceEncoderSession> _session;
    private readonly EmbeddingGeneratorMetadata _metadata;

    internal LocalEmbeddingGenerator(LocalEncoder encoder, Func<SentenceEncoderSession> session)
    {
        _encoder = encoder;
        _session = session;
        _metadata = new EmbeddingGeneratorMetadata("local", null, encoder.Name, encoder.Dimensions);
    }

    /// <summary>How long loading the weights took in this process (loads them if needed).</summary>
    public TimeSpan LoadTime => _session().LoadTime;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var texts = values.ToArray();
        var vectors = new float[texts.Length][];
        if (texts.Length > 0)
        {
            var session = await Task.Run(_session, cancellationToken).ConfigureAwait(false);
            var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
            foreach (var chunk in order.Chunk(BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = chunk.Select(i => texts[i]).ToArray();
                var encoded = await Task.Run(() => session.EncodeAsync(batch, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (encoded.Length != batch.Length)
                    throw new InvalidOperationException($"{_encoder.Name} returned {encoded.Length} vectors for {batch.Length} texts");
                for (var j = 0; j < chunk.Length; j++)
                    vectors[chunk[j]] = encoded[j];
            }
        }
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = _encoder.Name }));
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>Nothing to release: the loaded weights are shared by the process.</summary>
    public void Dispose() { }
}
