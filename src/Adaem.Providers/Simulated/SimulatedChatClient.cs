using Adaem.Core.Configuration;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Simulated;

/// <summary>
/// A synthetic respondent for `provider: simulated` (issue 6 fills it in). It answers the project's own
/// prompt roles (Core.Prompts.PromptRoles) from the fields in Core.Models.CallContext, deterministically
/// for its seed. This placeholder only fixes the constructor the provider factory uses.
/// </summary>
public sealed class SimulatedChatClient(ModelConfig model, ValueTheory theory) : IChatClient
{
    public ModelConfig Model { get; } = model;
    public ValueTheory Theory { get; } = theory;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the simulated pool is not implemented yet (issue 6)");

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the simulated pool does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
