using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>
/// Removes the adaem.* properties (call context, attempt log) from the options before a real provider
/// sees them: they are for the engine and the simulated pool, and some adapters would send unknown
/// additional properties to the API as request fields.
/// </summary>
internal sealed class ContextStrippingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => base.GetResponseAsync(messages, CallContext.StripFrom(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => base.GetStreamingResponseAsync(messages, CallContext.StripFrom(options), cancellationToken);
}
