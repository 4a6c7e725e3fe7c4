using System.Collections.Concurrent;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Providers.Engine;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Microsoft.Extensions.AI;

namespace Adaem.Providers;

/// <summary>
/// The models of a config, each behind the call engine, built on first use:
/// <code>
/// defaults (config sampling options)
///   → ledger + durable cache (CallKey; single-flight per key)
///     [→ batches (batch: true; the provider's batch API, for the calls that miss the cache)]
///     → limits (concurrency, RPM, TPM)
///       → retries (the only retry layer)
///         → provider (SDK adapter, adaem.* context stripped)
/// </code>
/// </summary>
public sealed class ModelPool : IModelPool, IDisposable
{
    private readonly AdaemConfig _config;
    private readonly AdaemStore _store;
    private readonly ValueTheory _theory;
    private readonly PriceList _pricing;
    private readonly EngineOptions _options;
    private readonly SecretScrubber _scrubber;
    private readonly LedgerWriter _writer;
    private readonly ConcurrentDictionary<string, Lazy<Stack>> _stacks = new(StringComparer.Ordinal);

    public ModelPool(AdaemConfig config, AdaemStore store, ValueTheory theory, PriceList pricing, EngineOptions? options = null)
    {
        _config = config;
        _store = store;
        _theory = theory;
        _pricing = pricing;
        _options = options ?? new EngineOptions();
        _writer = new LedgerWriter(
            store,
            Counters,
            _options.LeaseTiming ?? LeaseTiming.FromEnvironment(_options.GetEnvironment),
            _options.ProcessToken
        );
        _scrubber = SecretScrubber.For(config, _options.GetEnvironment);
    }

    /// <summary>A pool with the config's own theory and pricing file.</summary>
    public static ModelPool Open(AdaemConfig config, AdaemStore store, EngineOptions? options = null) =>
        new(config, store, TheoryLoader.Load(config.Theory, config.Directory), PriceList.ForConfig(config), options);

    public IReadOnlyCollection<string> Names => _config.Models.Keys.ToList();

    /// <summary>Cache hits and calls per stage and model, for progress display.</summary>
    public CallCounters Counters { get; } = new();

    /// <summary>
    /// The one scrubber of this process's secrets (keys from the environment, credentials in base URLs, and
    /// fragments of them): the engine scrubs every error with it, and the CLI every message it prints or stores.
    /// </summary>
    public SecretScrubber Scrubber => _scrubber;

    public IChatClient Chat(string modelName) => Get(modelName).Chat;

    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings(string modelName) => Get(modelName).Embeddings;

    /// <summary>Who answers <paramref name="modelName"/>'s calls: provider kind, endpoint and model id.</summary>
    public ModelIdentity Resolve(string modelName) => Get(modelName).Provider.Identity;

    /// <summary>Resolved once per model when its stack is built (every stored item's fingerprint asks for it).</summary>
    public string Identity(string modelName) => Get(modelName).Identity;

    private static string Describe(ModelIdentity id, ModelConfig m)
    {
        static string N(IFormattable? x) => x?.ToString(null, System.Globalization.CultureInfo.InvariantCulture) ?? "-";
        return $"provider={id.ProviderKind};endpoint={EndpointText.WithoutCredentials(id.Endpoint)};model={id.ModelId};"
            + $"temperature={N(m.Temperature)};top_p={N(m.TopP)};max_tokens={N(m.MaxTokens)};seed={N(m.Seed)}";
    }

    /// <summary>The engine's <see cref="CallCounters"/> (also as <see cref="ICallStatistics"/>) and <see cref="SecretScrubber"/>, or
    /// null.</summary>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(CallCounters) || serviceType == typeof(ICallStatistics) ? Counters
        : serviceType == typeof(SecretScrubber) ? _scrubber
        : null;

    public void Dispose()
    {
        foreach (var s in _stacks.Values.Where(s => s.IsValueCreated))
            s.Value.Dispose();
        _writer.Dispose();
    }

    private Stack Get(string modelName)
    {
        if (!_config.Models.TryGetValue(modelName, out var model))
            throw new ArgumentException(
                $"no model named '{modelName}' in {_config.Path}; known: {string.Join(", ", _config.Models.Keys)}",
                nameof(modelName)
            );
        return _stacks.GetOrAdd(modelName, _ => new Lazy<Stack>(() => Build(model), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private Stack Build(ModelConfig model)
    {
        var policy = new RetryPolicy
        {
            MaxRetries = model.MaxRetries ?? _options.DefaultMaxRetries,
            Timeout = model.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : _options.DefaultTimeout,
            BaseDelay = _options.RetryBaseDelay,
            MaxDelay = _options.RetryMaxDelay,
            MaxRetryAfter = _options.MaxRetryAfter,
            FailFastOnQuota = model.FailFastOnQuota,
        };
        var retry = new RetryExecutor(model.Name, policy, _scrubber, _options.Delay) { Waits = Counters.Waits };
        // Simulated answers cost nothing: sharing them across processes would only add store writes.
        var across = model.Provider == ProviderKinds.Simulated ? null : _options.CallsInFlight;
        if (model.Replicated)
            return BuildReplicated(model, retry, across);

        var provider = CreateProvider(model);
        var resumeOnly = false;
        if (model.Batch is null && BatchConfig.Providers.Contains(model.Provider) && HasBatchesToResume(provider.Identity))
        {
            // Batches of this endpoint are in flight, or replies of ended ones are not in the ledger yet: with batch off, their
            // calls would be asked (and paid) again. Their batch API takes the answers; every other call is asked directly.
            provider.Dispose();
            provider = CreateProvider(model with { Batch = new BatchConfig() });
            resumeOnly = provider.Batches is not null;
        }
        var limits = new ModelLimits(_options.ConcurrencyFor(model), model.Rpm, model.Tpm);
        var builder = new ChatClientBuilder(provider.Chat)
            .UseModelDefaults(model)
            .UseLedger(provider.Identity, _store, _writer, _pricing, Counters, _scrubber, across);
        if (provider.Batches is { } batches && (model.Batch ?? (resumeOnly ? new BatchConfig() : null)) is { } batch)
            builder = builder.UseBatches(
                batches,
                batch,
                provider.Identity,
                _store,
                policy,
                _scrubber,
                _options.BatchTime,
                _options.Delay,
                resumeOnly
            );
        var chat = builder.UseLimits(limits).UseRetries(retry).Build();

        var embeddings = provider.Embeddings is null
            ? null
            : new LedgerEmbeddingGenerator(
                provider.Embeddings,
                provider.Identity,
                _store,
                _writer,
                _pricing,
                Counters,
                limits,
                retry,
                _scrubber,
                across: across
            );
        return new Stack(provider, chat, embeddings, [limits], Describe(provider.Identity, model));
    }

    /// <summary>
    /// A model whose base_url lists several servers: one provider client and one set of limits (the model's
    /// concurrency, rpm and tpm) per server, behind a <see cref="ReplicaRouter"/> that also retries. The model's
    /// identity, and so every cache key, names the replica set, not a server (<see cref="ReplicaSet"/>).
    /// Embeddings go to the first server.
    /// </summary>
    private Stack BuildReplicated(ModelConfig model, RetryExecutor retry, CallsInFlight? across)
    {
        var providers = model.BaseUrls.Select(url => CreateProvider(model with { BaseUrl = url, BaseUrls = [url] })).ToList();
        var replicas = providers
            .Select(
                (p, i) =>
                    new Replica(
                        i,
                        p.Identity.Endpoint,
                        p.Chat,
                        new ModelLimits(_options.ConcurrencyFor(model), model.Rpm, model.Tpm),
                        new CircuitBreaker(_options.Breaker)
                    )
            )
            .ToList();
        var identity = ReplicaSet.Identity(providers[0].Identity);
        var router = new ReplicaRouter(model.Name, replicas, retry, _options.Time);
        var chat = new ChatClientBuilder(router)
            .UseModelDefaults(model)
            .UseLedger(identity, _store, _writer, _pricing, Counters, _scrubber, across)
            .Build();
        var first = providers[0];
        var embeddings = first.Embeddings is null
            ? null
            : new LedgerEmbeddingGenerator(
                first.Embeddings,
                identity,
                _store,
                _writer,
                _pricing,
                Counters,
                replicas[0].Limits,
                retry,
                _scrubber,
                across: across
            );
        var provider = new ProviderClient(identity, router, null, [.. providers]);
        return new Stack(provider, chat, embeddings, [.. replicas.Select(r => r.Limits)], Describe(identity, model));
    }

    /// <summary>Whether the store holds batches of this endpoint in flight, or replies of ended ones the ledger lacks.</summary>
    private bool HasBatchesToResume(ModelIdentity identity) => _store.HasBatchesToResume(identity.ProviderKind, identity.Endpoint);

    private ProviderClient CreateProvider(ModelConfig model) =>
        _options.ProviderOverride?.Invoke(model)
        ?? ProviderFactory.Create(
            model,
            _theory,
            new ProviderSettings
            {
                GetEnvironment = _options.GetEnvironment,
                ConfigPath = _config.Path,
                DefaultTimeout = _options.DefaultTimeout,
            }
        );

    private sealed record Stack(
        ProviderClient Provider,
        IChatClient Chat,
        IEmbeddingGenerator<string, Embedding<float>>? Embeddings,
        IReadOnlyList<ModelLimits> Limits,
        string Identity
    ) : IDisposable
    {
        public void Dispose()
        {
            // The batch layer stops looking at its batches (they stay in the store) before its API goes away.
            Chat.GetService<Batching.BatchingChatClient>()?.Dispose();
            Provider.Dispose();
            foreach (var l in Limits)
                l.Dispose();
        }
    }
}
