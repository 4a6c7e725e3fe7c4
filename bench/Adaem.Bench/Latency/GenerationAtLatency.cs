using System.Diagnostics;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Providers;

namespace Adaem.Bench.Latency;

/// <summary>What one generation run at a set latency measured.</summary>
/// <param name="SeedSeconds">Scoring the arms' seed questions.</param>
/// <param name="StepSeconds">The bandit steps, from the first round's start to the last step's end.</param>
/// <param name="Requests">Requests the loopback server received.</param>
public sealed record GenerationTiming(
    int ArmsPerRound,
    int Steps,
    double SeedSeconds,
    double StepSeconds,
    int Kept,
    int Requests,
    int MaxInFlight
)
{
    public double PerStep => StepSeconds / Math.Max(1, Steps);
}

/// <summary>
/// The generation loop in process on examples/offline.yaml's simulated pool, every model behind the loopback
/// stub (<see cref="LoopbackSimulatedChatClient"/>) and the call engine (cache, limits, ledger), each k in a
/// fresh store so every call is made. Wall time is split at the progress events: seed scoring, then steps.
/// </summary>
internal static class GenerationAtLatency
{
    public static async Task<GenerationTiming> RunAsync(
        string offlineYaml,
        string dir,
        OpenAIStub stub,
        int armsPerRound,
        int budget,
        int concurrency,
        CancellationToken ct
    )
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, $"gen-k{armsPerRound}")).FullName;
        var path = Path.Combine(folder, "offline.yaml");
        await File.WriteAllTextAsync(path, File.ReadAllText(offlineYaml), ct);
        var loaded = ConfigLoader.Load(path);
        // Every model at the same concurrency, so the models' limits (not the loop) bound what is in flight.
        var config = loaded with
        {
            Models = loaded.Models.ToDictionary(m => m.Key, m => m.Value with { Concurrency = concurrency }, StringComparer.Ordinal),
            Generation = loaded.Generation with { Budget = budget, ArmsPerRound = armsPerRound },
        };
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var store = AdaemStore.Open(config.StorePath);
        store.EnsureRun("main", config.Hash);
        using var pool = new ModelPool(
            config,
            store,
            theory,
            PriceList.Empty,
            new EngineOptions
            {
                ProviderOverride = m =>
                {
                    var simulated = ProviderFactory.Create(m, theory);
                    var wire = ProviderFactory.Create(
                        m with
                        {
                            Provider = ProviderKinds.OpenAICompatible,
                            BaseUrl = stub.BaseUrl.ToString(),
                            Model = m.Name,
                        },
                        theory
                    );
                    return new ProviderClient(
                        simulated.Identity,
                        new LoopbackSimulatedChatClient(wire.Chat, simulated.Chat),
                        null,
                        simulated,
                        wire
                    );
                },
            }
        );
        var judging = new OpinionJudging(
            pool,
            store,
            theory,
            new JudgeSettings(config.Generation.Judge ?? config.Judge!.Model, config.Judge?.Mode ?? JudgeConfig.Batched),
            new OpinionJudgingOptions { Opinions = config.Generation.Opinions }
        );
        var settings = new GenerationSettings("main", config.Generation) { DedupThreshold = DedupThresholds.Resolve(config) };
        var clock = new PhaseClock();
        var requestsBefore = stub.Count;
        var summary = await new GenerationLoop(settings, pool, judging, new LocalOpinionSimilarity(), store, clock).RunAsync(
            SeedSources.ForConfig(config),
            ct
        );
        return new GenerationTiming(
            armsPerRound,
            summary.StepsDone,
            clock.SeedSeconds,
            clock.StepSeconds,
            summary.Kept,
            stub.Count - requestsBefore,
            stub.MaxInFlight
        );
    }

    /// <summary>Times the phases from the loop's own progress events.</summary>
    private sealed class PhaseClock : IGenerationProgress
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private long _stepsStart;
        private long _lastStep;

        public double SeedSeconds => Stopwatch.GetElapsedTime(_start, _stepsStart).TotalSeconds;
        public double StepSeconds => Stopwatch.GetElapsedTime(_stepsStart, _lastStep).TotalSeconds;

        public void SeedsStarted(int total, int alreadyScored) { }

        public void SeedScored(string arm, double? score) { }

        public void StepsStarted(int budget, int alreadyDone) => _stepsStart = _lastStep = Stopwatch.GetTimestamp();

        public void StepFinished(StepSummary step) => _lastStep = Stopwatch.GetTimestamp();

        public void Warning(string message) => Console.WriteLine("  warning: " + message);
    }
}
