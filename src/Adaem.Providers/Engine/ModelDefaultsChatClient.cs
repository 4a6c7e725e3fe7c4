using Adaem.Core.Configuration;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>
/// Fills the model's sampling options from the config (temperature, top_p, max_tokens, seed) where the
/// caller set none. It sits outside the cache, so the options that reach the cache key are the ones
/// the provider will really use, and changing them in the config means new calls, not stale answers.
/// </summary>
internal sealed class ModelDefaultsChatClient(IChatClient inner, ModelConfig model) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => base.GetResponseAsync(messages, WithDefaults(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => base.GetStreamingResponseAsync(messages, WithDefaults(options), cancellationToken);

    internal ChatOptions? WithDefaults(ChatOptions? options)
    {
        if (model.Temperature is null && model.TopP is null && model.MaxTokens is null && model.Seed is null)
            return options;
        if (
            options is not null
            && (model.Temperature is null || options.Temperature is not null)
            && (model.TopP is null || options.TopP is not null)
            && (model.MaxTokens is null || options.MaxOutputTokens is not null)
            && (model.Seed is null || options.Seed is not null)
        )
            return options;
        var o = options?.Clone() ?? new ChatOptions();
        o.Temperature ??= (float?)model.Temperature;
        o.TopP ??= (float?)model.TopP;
        o.MaxOutputTokens ??= model.MaxTokens;
        o.Seed ??= model.Seed;
        return o;
    }
}
