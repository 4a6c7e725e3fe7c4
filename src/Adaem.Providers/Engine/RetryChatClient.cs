using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>The engine's one retry layer, just above the provider. See <see cref="RetryExecutor"/>.</summary>
internal sealed class RetryChatClient(IChatClient inner, RetryExecutor executor) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        return executor.RunAsync(
            ct => base.GetResponseAsync(list, options, ct),
            RequireContent,
            AttemptLog.From(options),
            cancellationToken
        );
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw new NotSupportedException("the call engine does not stream: every reply is cached and recorded whole");

    /// <summary>A reply with no message at all (e.g. empty choices) is a provider fault, retried like one.</summary>
    private static void RequireContent(ChatResponse response)
    {
        if (response.Messages.Count == 0 || response.Messages.All(m => m.Contents.Count == 0))
            throw new EmptyReplyException("the provider returned no message (empty choices)");
    }
}
