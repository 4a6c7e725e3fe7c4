using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Providers.Engine;

namespace Adaem.Providers.Batching;

/// <summary>What the parts of one model's batch layer share: its API, store, settings, identity, clock and lifetime.</summary>
internal sealed record BatchContext(
    IBatchApi Api,
    IBatchStore Store,
    BatchConfig Settings,
    ModelIdentity Identity,
    TimeProvider Time,
    SecretScrubber Scrubber,
    bool FailFastOnQuota,
    CancellationToken Closing
);
