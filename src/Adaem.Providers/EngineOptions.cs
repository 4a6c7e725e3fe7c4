using Adaem.Core.Configuration;
using Adaem.Providers.Engine;

namespace Adaem.Providers;

/// <summary>
/// Engine-wide settings that are not in the config: defaults for models that do not set their own,
/// and hooks for tests and benchmarks (where keys come from, how waiting is done, a stand-in provider).
/// </summary>
public sealed record EngineOptions
{
    public Func<string, string?> GetEnvironment { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>How the retry layer waits between attempts. Tests record the waits instead of waiting.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = static (d, ct) => Task.Delay(d, ct);
    public int DefaultMaxRetries { get; init; } = 4;
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Calls in flight per model when the config sets no concurrency: cloud APIs.</summary>
    public int DefaultConcurrency { get; init; } = 8;

    /// <summary>... a local Ollama server, which runs few requests in parallel anyway.</summary>
    public int DefaultLocalConcurrency { get; init; } = 2;

    /// <summary>... the simulated pool, which costs nothing.</summary>
    public int DefaultSimulatedConcurrency { get; init; } = 64;

    /// <summary>How calls in flight in other processes are waited for; null makes every miss a call of its own (no claims).</summary>
    public CallsInFlight? CallsInFlight { get; init; } = new();

    /// <summary>When claims go stale and how often they beat; null reads <see cref="Storage.LeaseTiming.StaleVariable"/> through <see
    /// cref="GetEnvironment"/>.</summary>
    public Storage.LeaseTiming? LeaseTiming { get; init; }

    /// <summary>Whose claims this pool's calls are; null is this process's token. Tests give two pools two tokens to play two
    /// processes.</summary>
    public string? ProcessToken { get; init; }

    /// <summary>When a replica of a model with several base URLs that keeps failing is rested, and for how long.</summary>
    public BreakerOptions Breaker { get; init; } = new();

    /// <summary>The clock of the replicas' circuit breakers. Tests hold it still or move it by hand.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The clock of batch mode: the window before a partial batch is sent and the looks at batches in flight.</summary>
    public TimeProvider BatchTime { get; init; } = TimeProvider.System;

    /// <summary>Replaces the provider of a model (return null to keep the real one). For tests and benchmarks.</summary>
    public Func<ModelConfig, ProviderClient?>? ProviderOverride { get; init; }

    public int ConcurrencyFor(ModelConfig model) =>
        model.Concurrency
        ?? model.Provider switch
        {
            ProviderKinds.Simulated => DefaultSimulatedConcurrency,
            ProviderKinds.Ollama => DefaultLocalConcurrency,
            _ => DefaultConcurrency,
        };
}
