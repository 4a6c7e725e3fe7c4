using Microsoft.Extensions.AI;

namespace Adaem.Providers;

/// <summary>
/// The chat side of a model that only embeds (provider <c>local</c>). Config validation keeps such a model
/// out of every chat role, so reaching this is a bug; it fails with the model's name rather than answering.
/// </summary>
internal sealed class EmbeddingsOnlyChatClient(string modelName) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw Refusal();

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw Refusal();

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }

    private InvalidOperationException Refusal() =>
        new($"model '{modelName}' is a local sentence encoder: it makes embeddings and cannot answer chat prompts");
}
