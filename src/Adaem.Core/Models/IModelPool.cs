using Microsoft.Extensions.AI;

namespace Adaem.Core.Models;

/// <summary>
/// The models of a config, by local name, each already wrapped in the call engine (durable cache,
/// limits, retries, ledger). Core asks for models only through this.
/// </summary>
public interface IModelPool
{
    IReadOnlyCollection<string> Names { get; }

    IChatClient Chat(string modelName);

    /// <summary>The embedding generator of <paramref name="modelName"/>, or null when it offers none.</summary>
    IEmbeddingGenerator<string, Embedding<float>>? Embeddings(string modelName);
}
