using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>Where `adaem generate` gets its opinion judging (tests supply scripted judging instead); its pool comes from <see cref="PoolFactory"/>.</summary>
internal static class GenerationWiring
{
    /// <summary>Answers and judges with <paramref name="judgeModel"/> (in the top-level judge's mode), asking each model for <paramref name="opinions"/> key points.</summary>
    public static IOpinionJudging CreateJudging(AdaemConfig config, ValueTheory theory, IModelPool pool, AdaemStore store, string judgeModel, int opinions) =>
        new OpinionJudging(pool, store, theory, new JudgeSettings(judgeModel, config.Judge?.Mode ?? JudgeConfig.Batched),
            new OpinionJudgingOptions { Opinions = opinions, Language = Core.Prompts.Languages.PromptLanguages.Resolve(config.Generation.Language) });
}
