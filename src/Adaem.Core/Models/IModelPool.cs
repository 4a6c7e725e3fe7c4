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

    /// <summary>
    /// The resolved identity of <paramref name="modelName"/> as one canonical string: provider, endpoint
    /// (never a credential), model id and the sampling options the config sets. Stored records and runs
    /// compare it to tell two instruments apart; the local name alone does not.
    /// </summary>
    string Identity(string modelName);

    /// <summary>
    /// A service the pool offers (the engine's call counters, its secret scrubber), in the manner of
    /// <see cref="IChatClient.GetService"/>; null when it offers none of that type.
    /// </summary>
    object? GetService(Type serviceType, object? serviceKey = null) => null;
}

/// <summary>Typed access to <see cref="IModelPool.GetService"/>.</summary>
public static class ModelPoolExtensions
{
    public static T? GetService<T>(this IModelPool pool, object? serviceKey = null)
        where T : class => pool.GetService(typeof(T), serviceKey) as T;
}
