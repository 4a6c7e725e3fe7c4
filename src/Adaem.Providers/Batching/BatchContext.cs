using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Providers.Engine;

namespace Adaem.Providers.Batching;

/// <summary>What the parts of one model's batch layer share: its API, store, settings, identity, clock and lifetime.</summary>
/// <param name="Delay">How the layer waits before writing to the store again (the engine's wait: tests record it instead).</param>
internal sealed record BatchContext(
    IBatchApi Api,
    IBatchStore Store,
    BatchConfig Settings,
    ModelIdentity Identity,
    TimeProvider Time,
    SecretScrubber Scrubber,
    bool FailFastOnQuota,
    Func<TimeSpan, CancellationToken, Task> Delay,
    CancellationToken Closing
)
{
    /// <summary>The provider's name for batch <paramref name="batchId"/> as the store keeps it (model, provider, endpoint).</summary>
    public StoredBatch Describe(string batchId, string state, int requests) =>
        new()
        {
            Id = batchId,
            Model = Identity.LocalName,
            Provider = Identity.ProviderKind,
            Endpoint = Identity.Endpoint,
            State = state,
            Requests = requests,
        };
}
