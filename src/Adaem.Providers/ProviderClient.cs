using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;

namespace Adaem.Providers;

/// <summary>A raw provider client for one model (no cache, limits or retries), with what it owns.</summary>
public sealed class ProviderClient(
    ModelIdentity identity,
    IChatClient chat,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings,
    params IDisposable[] owned
) : IDisposable
{
    public ModelIdentity Identity { get; } = identity;
    public IChatClient Chat { get; } = chat;

    /// <summary>Null when the provider offers no embeddings (Anthropic, simulated).</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; } = embeddings;

    /// <summary>The provider's batch API, for a model in batch mode; null otherwise.</summary>
    public Batching.IBatchApi? Batches { get; init; }

    public void Dispose()
    {
        Chat.Dispose();
        Embeddings?.Dispose();
        Batches?.Dispose();
        foreach (var d in owned)
            d.Dispose();
    }
}
