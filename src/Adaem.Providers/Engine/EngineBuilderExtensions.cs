using Adaem.Core.Configuration;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>
/// The call engine's layers as <see cref="ChatClientBuilder"/> steps, in the manner of Microsoft.Extensions.AI
/// (<c>UseLogging</c>, <c>UseFunctionInvocation</c>): the first <c>Use</c> is the outermost layer.
/// <code>
/// new ChatClientBuilder(provider)
///     .UseModelDefaults(model)       // config sampling options, so they reach the cache key
///     .UseLedger(...)                // durable cache + ledger, single-flight per key
///     .UseBatches(...)               // only for batch: true: the provider's batch API
///     .UseLimits(limits)             // concurrency, RPM, TPM
///     .UseRetries(retry)             // the one retry layer
///     .Build();
/// </code>
/// </summary>
internal static class EngineBuilderExtensions
{
    /// <summary>Fills the config's sampling options where the caller set none (see <see cref="ModelDefaultsChatClient"/>).</summary>
    public static ChatClientBuilder UseModelDefaults(this ChatClientBuilder builder, ModelConfig model) =>
        builder.Use(inner => new ModelDefaultsChatClient(inner, model));

    /// <summary>The durable cache and the cost ledger (see <see cref="LedgerChatClient"/>).</summary>
    /// <param name="acrossProcesses">How calls in flight in other processes are waited for; null to not share them (e.g. simulated
    /// models).</param>
    public static ChatClientBuilder UseLedger(
        this ChatClientBuilder builder,
        ModelIdentity identity,
        AdaemStore store,
        LedgerWriter writer,
        PriceList pricing,
        CallCounters counters,
        SecretScrubber scrubber,
        CallsInFlight? acrossProcesses = null
    ) => builder.Use(inner => new LedgerChatClient(inner, identity, store, writer, pricing, counters, scrubber, acrossProcesses));

    /// <summary>
    /// The provider's batch API for the calls that miss the cache (see <see cref="Batching.BatchingChatClient"/>);
    /// the layers added after it serve only the calls asked at once.
    /// </summary>
    public static ChatClientBuilder UseBatches(
        this ChatClientBuilder builder,
        Batching.IBatchApi api,
        BatchConfig settings,
        ModelIdentity identity,
        Core.Models.IBatchStore store,
        RetryPolicy policy,
        SecretScrubber scrubber,
        TimeProvider? time = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        bool resumeOnly = false
    ) =>
        builder.Use(inner => new Batching.BatchingChatClient(
            inner,
            api,
            settings,
            identity,
            store,
            policy,
            scrubber,
            time,
            delay,
            resumeOnly
        ));

    /// <summary>The model's concurrency, RPM and TPM limits (see <see cref="LimiterChatClient"/>).</summary>
    public static ChatClientBuilder UseLimits(this ChatClientBuilder builder, ModelLimits limits) =>
        builder.Use(inner => new LimiterChatClient(inner, limits));

    /// <summary>Timeouts, backoff, Retry-After and quota fail-fast (see <see cref="RetryChatClient"/>).</summary>
    public static ChatClientBuilder UseRetries(this ChatClientBuilder builder, RetryExecutor executor) =>
        builder.Use(inner => new RetryChatClient(inner, executor));
}
