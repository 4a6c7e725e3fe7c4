using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>Holds each call to the model's concurrency and RPM/TPM limits. Cache hits never get here.</summary>
internal sealed class LimiterChatClient(IChatClient inner, ModelLimits limits) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        using var slot = await limits.AcquireAsync(EstimateTokens(list, options), cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The model's limits as a <see cref="ModelCapacity"/> (the stages size their in-flight work from it).</summary>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ModelCapacity) ? limits.Capacity : base.GetService(serviceType, serviceKey);

    /// <summary>
    /// Tokens a call will use, before it is made: about four characters a token for the prompt, plus the
    /// reply budget when one is set. TPM limiting is therefore approximate; it keeps a run near the
    /// limit, and the retry layer absorbs the 429s of the rest.
    /// </summary>
    internal static int EstimateTokens(IReadOnlyCollection<ChatMessage> messages, ChatOptions? options)
    {
        long chars = 0;
        foreach (var m in messages)
            chars += m.Text.Length;
        return (int)Math.Min(int.MaxValue, chars / 4 + 1 + (options?.MaxOutputTokens ?? 0));
    }
}
