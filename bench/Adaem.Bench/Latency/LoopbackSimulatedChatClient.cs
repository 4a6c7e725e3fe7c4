using Microsoft.Extensions.AI;

namespace Adaem.Bench.Latency;

/// <summary>
/// A simulated model behind a real provider's latency: every call first goes over HTTP, through the
/// OpenAI SDK client of an openai-compatible model, to the loopback stub (which answers after its set
/// latency), and the reply returned is then the simulated pool's own answer to the same call. So the
/// engine, the SDK and the sockets see a remote model taking that long, while the loop's decisions are
/// the simulated pool's (same questions, same scores) and do not depend on the stub's text.
/// </summary>
internal sealed class LoopbackSimulatedChatClient(IChatClient wire, IChatClient simulated) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        // The wire client strips adaem's call context before sending, like every real provider.
        await wire.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        return await simulated.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => simulated.GetService(serviceType, serviceKey);

    public void Dispose() { }
}
