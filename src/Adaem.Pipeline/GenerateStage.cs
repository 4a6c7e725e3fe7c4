using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Core.Runs;
using Adaem.RunFiles;
using Microsoft.Extensions.AI;

namespace Adaem.Pipeline;

/// <summary>What <see cref="Study.GenerateAsync"/> did; <paramref name="Calls"/> are this stage's model calls (null for pools without
/// counters).</summary>
public sealed record GenerateResult(GenerationSummary Summary, int Selected, string QuestionsPath, CallCount? Calls = null);

/// <summary>
/// The generate stage (the paper's Algorithm 1 with the bandit of Algorithm 2): check the config, run the loop
/// (which resumes by itself), select the questions and write questions.jsonl.
/// </summary>
internal static class GenerateStage
{
    /// <summary>Config checks that need no model and no store.</summary>
    public static void Validate(AdaemConfig config, string run, int? budget)
    {
        GenerationChecks.Validate(config, run);
        if (budget is < 0)
            throw new InputException(config.Path, null, "--budget must not be negative", "pass the number of bandit steps");
        ConfigLoader.RequireSecrets(config, GenerationChecks.ModelsUsed(config));
    }

    public static async Task<GenerateResult> RunAsync(
        StageContext context,
        int? budget,
        ModelPoolFactory createPool,
        OpinionJudgingFactory createJudging,
        StageEvents events,
        CancellationToken cancellationToken
    )
    {
        var (config, theory, store, run) = (context.Config, context.Theory, context.Store, context.Run);
        var seeds = SeedSources.ForConfig(config);
        foreach (var w in GenerationChecks.Warnings(config))
            events.Warning(w);
        // Before any call: earlier benchmarks this one must not repeat (generation.exclude).
        var excluded = EarlierBenchmarks.Load(config, store);
        var record = store.EnsureRun(run, config.Hash);
        if (record.ConfigHash != config.Hash)
            events.Warning(
                $"the config changed since run '{run}' started; its finished steps are kept and the new settings apply from here on"
            );

        var tracked = new StageRun(context, GenerationSettings.Stage);
        return await tracked
            .TrackAsync(
                async () =>
                {
                    var pool = createPool(config, theory, store);
                    using var ownedPool = pool as IDisposable;
                    tracked.Pool = pool;
                    events.ModelsReady(pool, store.Path);
                    // Before any call: the run keeps one generator pool, judge, embedding model and theory unless the user accepts a
                    // change.
                    foreach (
                        var change in InstrumentCheck.Enforce(
                            store,
                            run,
                            StageInstruments.ForGeneration(config, pool, theory),
                            context.AcceptChanges,
                            config.Path
                        )
                    )
                        events.Warning(
                            $"accepted change: {change}; steps from here on use it, questions already generated keep the scores the earlier instrument gave them"
                        );
                    var judge = config.Generation.Judge ?? config.Judge!.Model;
                    var judging = new TallyingJudging(
                        createJudging(config, theory, pool, store, judge, config.Generation.Opinions),
                        events
                    );
                    var embeddings = EmbeddingModel(config, pool);
                    var similarity = embeddings is null
                        ? new LocalOpinionSimilarity()
                        : (IOpinionSimilarity)new EmbeddingOpinionSimilarity(embeddings, run, GenerationSettings.Stage);
                    var settings = new GenerationSettings(run, config.Generation)
                    {
                        Budget = budget ?? config.Generation.Budget,
                        DedupThreshold = DedupThresholds.Resolve(config),
                        Excluded = excluded,
                        // Seeds stay English; in another language the translator (evaluation.translator) translates them on demand.
                        SeedTranslator =
                            Core.Translation.SeedTranslation.Applies(config) && config.Evaluation.Translator is { } translator
                                ? new Core.Translation.QuestionTranslator(pool, translator, store, run, GenerationSettings.Stage)
                                : null,
                    };

                    // One embedding model (when configured) serves both the opinion similarity and the dedup checks.
                    var loop = new GenerationLoop(settings, pool, judging, similarity, store, new GenerationEvents(events), embeddings);
                    var summary = await loop.RunAsync(seeds, cancellationToken).ConfigureAwait(false);

                    var safety = config.Generation.SafetyModel is { } s
                        ? new SafetyFilter(
                            pool.Chat(s),
                            s,
                            run,
                            GenerationSettings.Stage,
                            Core.Prompts.Languages.PromptLanguages.Resolve(config.Generation.Language)
                        )
                        : null;
                    var earlier = await EarlierBenchmarks.SelectionCheckAsync(excluded, cancellationToken).ConfigureAwait(false);
                    var selected = await QuestionSelection
                        .SelectAsync(
                            store,
                            run,
                            config.Generation.SelectTop,
                            config.Generation.SelectThreshold,
                            safety,
                            cancellationToken,
                            earlier
                        )
                        .ConfigureAwait(false);
                    var path = QuestionsWriter.Write(context.OutDir, selected);
                    return new GenerateResult(summary, selected.Count, path, ModelPools.Calls(pool));
                },
                r =>
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{r.Summary.StepsDone} steps, {r.Summary.Kept} questions kept, {r.Selected} selected"
                    )
            )
            .ConfigureAwait(false);
    }

    private static IEmbeddingGenerator<string, Embedding<float>>? EmbeddingModel(AdaemConfig config, IModelPool pool)
    {
        if (config.Embeddings.Model is not { } name)
            return null;
        return pool.Embeddings(name)
            ?? throw new InputException(
                config.Path,
                config.Embeddings.Line,
                $"embeddings.model '{name}' offers no embeddings",
                "name a model whose provider serves embeddings, or use 'none' for the local text similarity"
            );
    }
}
