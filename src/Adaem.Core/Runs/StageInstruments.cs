using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Adaem.Core.Translation;

namespace Adaem.Core.Runs;

/// <summary>
/// The instruments a stage measures with, resolved from the config and the model pool (no call is made).
/// Targets are compared one by one (a new target may join a finished evaluation); the judge, the theory
/// and the generator pools are compared whole, because renaming or swapping any of them changes what every
/// number means. A judge asked in a language other than the built-in English carries it in its identity, so
/// switching a run's language is an instrument change like switching its judge.
/// </summary>
public static class StageInstruments
{
    /// <summary>What `evaluate` measures with: each target, the judge (model and mode) and the theory.</summary>
    public static IReadOnlyList<Instrument> ForEvaluation(AdaemConfig config, IModelPool pool, ValueTheory theory)
    {
        var list = config.Evaluation.Targets.Select(t => new Instrument(Instrument.Target, t, pool.Identity(t))).ToList();
        var languages = config.Evaluation.Languages;
        if (config.Judge is { } j)
        {
            if (languages.Count == 0)
                list.Add(
                    new Instrument(
                        Instrument.Judge,
                        Instrument.Judge,
                        $"{pool.Identity(j.Model)};mode={j.Mode}{LanguageSuffix(config.Evaluation.Language)}"
                    )
                );
            // A cross-lingual evaluation judges in every language: one judge instrument per language, so adding a language records a new
            // one.
            else
                foreach (var l in languages)
                    list.Add(
                        new Instrument(
                            Instrument.Judge,
                            $"{Instrument.Judge}@{PromptLanguages.Resolve(l).Code}",
                            $"{pool.Identity(j.Model)};mode={j.Mode}{LanguageSuffix(l)}"
                        )
                    );
        }
        if (languages.Count > 0 && config.Evaluation.Translator is { } t)
            list.Add(TranslatorOf(t, pool));
        list.Add(TheoryOf(theory));
        return list;
    }

    /// <summary>The translator as an instrument: its identity and the translate prompt's version (each target language's templates are part
    /// of its translations' fingerprints).</summary>
    private static Instrument TranslatorOf(string model, IModelPool pool) =>
        new(Instrument.Translator, Instrument.Translator, $"{pool.Identity(model)};prompt=translate-{Prompts.TranslatePrompt.Version}");

    /// <summary>What `generate` measures with: the explorer and scorer pools, the judge of the informativeness score, the embeddings,
    /// the settings of the score itself (<see cref="ScoreOf"/>) and the theory.</summary>
    public static IReadOnlyList<Instrument> ForGeneration(AdaemConfig config, IModelPool pool, ValueTheory theory)
    {
        var g = config.Generation;
        var list = new List<Instrument>
        {
            new(Instrument.Explorer, "pool", Pool(g.Explorers, pool)),
            new(Instrument.Scorer, "pool", Pool(g.Scorers, pool)),
        };
        var judge = g.Judge ?? config.Judge?.Model;
        if (judge is not null)
            list.Add(
                new Instrument(
                    Instrument.GenerationJudge,
                    Instrument.Judge,
                    $"{pool.Identity(judge)};mode={config.Judge?.Mode ?? JudgeConfig.Batched}{LanguageSuffix(g.Language)}"
                )
            );
        list.Add(
            new Instrument(
                Instrument.Embeddings,
                Instrument.Embeddings,
                config.Embeddings.Model is { } e ? pool.Identity(e) : "local n-gram similarity"
            )
        );
        list.Add(ScoreOf(g));
        if (SeedTranslation.Applies(config) && config.Evaluation.Translator is { } t)
            list.Add(TranslatorOf(t, pool));
        list.Add(TheoryOf(theory));
        return list;
    }

    /// <summary>
    /// S = R_VC + R_VD + R_OD + sign · (β/2) · R_Dis (App. C.3) over answers of generation.opinions opinions each: a run whose
    /// β, sign or opinions changed would rank and reward questions on two scales (the bandit's means, the selection). Its
    /// own instrument row, so a run recorded before it existed records it on its next generate instead of stopping.
    /// </summary>
    private static Instrument ScoreOf(GenerationConfig g) =>
        new(
            Instrument.Score,
            "S",
            string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"beta={g.Beta:R};disentanglement_sign={g.DisentanglementSign};opinions={g.Opinions}"
            )
        );

    /// <summary>Nothing for the built-in English (identities as they always were); ";language=CODE+HASH" otherwise.</summary>
    private static string LanguageSuffix(string language) =>
        PromptLanguages.Resolve(language) is { IsBuiltInEnglish: false } l ? ";language=" + l.PromptTag.TrimStart('+') : "";

    private static Instrument TheoryOf(ValueTheory theory) =>
        new(Instrument.Theory, Instrument.Theory, $"{theory.Code};definitions={ItemIdentity.Theory(theory)[..16]}");

    private static string Pool(IReadOnlyList<string> names, IModelPool pool) =>
        string.Join(" + ", names.Order(StringComparer.Ordinal).Select(n => $"{n}=[{pool.Identity(n)}]"));
}
