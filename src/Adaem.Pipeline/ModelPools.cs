using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Engine;
using Adaem.Providers.Pricing;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>Makes a stage's model pool: the config's models wrapped in the call engine, or a caller's own pool (tests, other
/// harnesses).</summary>
public delegate IModelPool ModelPoolFactory(AdaemConfig config, ValueTheory theory, AdaemStore store);

/// <summary>Makes generation's opinion judging: <paramref name="judgeModel"/> labels, each model gives <paramref name="opinions"/> key
/// points.</summary>
public delegate IOpinionJudging OpinionJudgingFactory(
    AdaemConfig config,
    ValueTheory theory,
    IModelPool pool,
    AdaemStore store,
    string judgeModel,
    int opinions
);

/// <summary>The one place stages get their models and judging from, unless the study was given its own.</summary>
internal static class ModelPools
{
    /// <summary>The config's models in the call engine (ledger, limits, retries), priced from pricing.yaml.</summary>
    public static ModelPool Engine(AdaemConfig config, ValueTheory theory, AdaemStore store) =>
        new ModelPool(config, store, theory, PriceList.ForConfig(config));

    /// <summary>Answers and judges with <paramref name="judgeModel"/> (in the top-level judge's mode), asking each model for <paramref
    /// name="opinions"/> key points.</summary>
    public static IOpinionJudging Judging(
        AdaemConfig config,
        ValueTheory theory,
        IModelPool pool,
        AdaemStore store,
        string judgeModel,
        int opinions
    ) =>
        new OpinionJudging(
            pool,
            store,
            theory,
            new JudgeSettings(judgeModel, config.Judge?.Mode ?? JudgeConfig.Batched),
            new OpinionJudgingOptions
            {
                Opinions = opinions,
                Language = Core.Prompts.Languages.PromptLanguages.Resolve(config.Generation.Language),
            }
        );

    /// <summary>This stage's calls, when the pool is the call engine (scripted pools have no counters).</summary>
    public static CallCount? Calls(IModelPool pool) => pool.GetService<CallCounters>()?.Total();

    /// <summary>The pool's secret scrubber (the one that knows this process's keys), or none for pools without keys.</summary>
    public static SecretScrubber Scrubber(IModelPool pool) => pool.GetService<SecretScrubber>() ?? SecretScrubber.None;
}
