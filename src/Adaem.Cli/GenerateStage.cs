using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Core.Runs;
using Adaem.Core.Theory;
using Adaem.Reports.Files;
using Adaem.Storage;
using Microsoft.Extensions.AI;

namespace Adaem.Cli;

/// <summary>What `adaem generate` was asked to do.</summary>
internal sealed record GenerateRequest(string ConfigPath, string? Run, int? Budget, string? OutDirectory, bool AcceptChanges = false);

/// <summary>What it did; <paramref name="Calls"/> are this command's model calls (null for pools without counters).</summary>
internal sealed record GenerateResult(GenerationSummary Summary, int Selected, string QuestionsPath, Adaem.Core.Models.CallCount? Calls = null);

/// <summary>
/// `adaem generate` without the console: load and check the config, open the store and the run, run the
/// loop (which resumes by itself), select and write questions.jsonl. The model pool and the opinion
/// judging come from factories so tests can supply scripted ones.
/// </summary>
internal sealed class GenerateStage(
    Func<AdaemConfig, ValueTheory, AdaemStore, IModelPool> createPool,
    Func<AdaemConfig, ValueTheory, IModelPool, AdaemStore, string, int, IOpinionJudging> createJudging)
{
    public async Task<GenerateResult> RunAsync(GenerateRequest request, IGenerationProgress progress, CancellationToken cancellationToken)
    {
        var config = ConfigLoader.Load(request.ConfigPath);
        GenerationChecks.Validate(config);
        if (request.Budget is < 0) throw new InputException(config.Path, null, "--budget must not be negative", "pass the number of bandit steps");
        var run = Wiring.RunName(request.Run);
        ConfigLoader.RequireSecrets(config, GenerationChecks.ModelsUsed(config));
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var seeds = SeedSources.ForConfig(config);
        foreach (var w in GenerationChecks.Warnings(config)) progress.Warning(w);

        var outDir = Wiring.OutDirectory(config, run, request.OutDirectory);
        var store = Wiring.OpenStore(config, outDir);
        // Before any call: earlier benchmarks this one must not repeat (generation.exclude).
        var excluded = EarlierBenchmarks.Load(config, store);
        var record = store.EnsureRun(run, config.Hash);
        if (record.ConfigHash != config.Hash)
            progress.Warning($"the config changed since run '{run}' started; its finished steps are kept and the new settings apply from here on");
        store.SetRunStage(run, GenerationSettings.Stage, "running");
        try
        {
            var pool = createPool(config, theory, store);
            using var ownedPool = pool as IDisposable;
            // Before any call: the run keeps one generator pool, judge, embedding model and theory unless the user accepts a change.
            foreach (var change in InstrumentCheck.Enforce(store, run, StageInstruments.ForGeneration(config, pool, theory), request.AcceptChanges, config.Path))
                progress.Warning($"accepted change: {change}; steps from here on use it, questions already generated keep the scores the earlier instrument gave them");
            var judge = config.Generation.Judge ?? config.Judge!.Model;
            var judging = createJudging(config, theory, pool, store, judge, config.Generation.Opinions);
            var embeddings = EmbeddingModel(config, pool);
            var similarity = embeddings is null ? new LocalOpinionSimilarity() : (IOpinionSimilarity)new EmbeddingOpinionSimilarity(embeddings, run, GenerationSettings.Stage);
            var settings = new GenerationSettings(run, config.Generation)
            {
                Budget = request.Budget ?? config.Generation.Budget,
                DedupThreshold = DedupThresholds.Resolve(config),
                Excluded = excluded,
            };

            // One embedding model (when configured) serves both the opinion similarity and the dedup checks.
            var loop = new GenerationLoop(settings, pool, judging, similarity, store, progress, embeddings);
            var summary = await loop.RunAsync(seeds, cancellationToken).ConfigureAwait(false);

            var safety = config.Generation.SafetyModel is { } s ? new SafetyFilter(pool.Chat(s), s, run, GenerationSettings.Stage, Core.Prompts.Languages.PromptLanguages.Resolve(config.Generation.Language)) : null;
            var earlier = await EarlierBenchmarks.SelectionCheckAsync(excluded, cancellationToken).ConfigureAwait(false);
            var selected = await QuestionSelection.SelectAsync(store, run, config.Generation.SelectTop, config.Generation.SelectThreshold, safety, cancellationToken, earlier)
                .ConfigureAwait(false);
            var path = QuestionsWriter.Write(outDir, selected);
            store.SetRunStage(run, GenerationSettings.Stage, "done",
                string.Create(CultureInfo.InvariantCulture, $"{summary.StepsDone} steps, {summary.Kept} questions kept, {selected.Count} selected"));
            return new GenerateResult(summary, selected.Count, path, CallLine.Of(pool));
        }
        catch (OperationCanceledException)
        {
            store.SetRunStage(run, GenerationSettings.Stage, "interrupted", "run the same command again to resume");
            throw;
        }
        catch (Exception e)
        {
            store.SetRunStage(run, GenerationSettings.Stage, "failed", e.Message);
            throw;
        }
    }

    private static IEmbeddingGenerator<string, Embedding<float>>? EmbeddingModel(AdaemConfig config, IModelPool pool)
    {
        if (config.Embeddings.Model is not { } name) return null;
        return pool.Embeddings(name)
            ?? throw new InputException(config.Path, config.Embeddings.Line, $"embeddings.model '{name}' offers no embeddings",
                "name a model whose provider serves embeddings, or use 'none' for the local text similarity");
    }
}
