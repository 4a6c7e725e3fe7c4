using Adaem.Core.Configuration;
using Adaem.Core.Errors;

namespace Adaem.Core.Generation;

/// <summary>Config checks that only matter when generating: problems stop the stage (exit 2), warnings are printed.</summary>
public static class GenerationChecks
{
    /// <summary>Throws an <see cref="InputException"/> naming the config line when generation cannot run.</summary>
    public static void Validate(AdaemConfig config) => Throw(Problems(config));

    /// <summary>
    /// <see cref="Validate(AdaemConfig)"/> for generating run <paramref name="run"/>, which also refuses a generation.exclude
    /// entry naming that run: its own questions would be an "earlier benchmark" of itself (after a resume, its dedup index
    /// would hold each stored question twice and the selection would pass over every one of them).
    /// </summary>
    public static void Validate(AdaemConfig config, string run)
    {
        var problems = Problems(config);
        var self = EarlierBenchmarks.RunPrefix + run;
        if (config.Generation.Exclude.Contains(self, StringComparer.Ordinal))
            problems.Add(
                new InputProblem(
                    config.Path,
                    config.Generation.ExcludeLine,
                    $"generation.exclude names {self}, the run being generated: its own questions would count as an earlier benchmark",
                    $"remove {self} from generation.exclude, or generate a new release under another run name (--run NAME)"
                )
            );
        Throw(problems);
    }

    private static void Throw(List<InputProblem> problems)
    {
        if (problems.Count > 0)
            throw new InputException(problems);
    }

    private static List<InputProblem> Problems(AdaemConfig config)
    {
        var g = config.Generation;
        var line = g.Line == 0 ? (int?)null : g.Line;
        var problems = new List<InputProblem>();
        if (g.Explorers.Count < InformativenessScore.MinimumResponses)
            problems.Add(
                new InputProblem(
                    config.Path,
                    line,
                    $"generation.explorers lists {g.Explorers.Count} model(s); the fast score compares answers, so it needs at least {InformativenessScore.MinimumResponses}",
                    "list two or more explorer models under generation.explorers"
                )
            );
        if (g.Scorers.Count < InformativenessScore.MinimumResponses)
            problems.Add(
                new InputProblem(
                    config.Path,
                    line,
                    $"generation.scorers lists {g.Scorers.Count} model(s); the score compares answers, so it needs at least {InformativenessScore.MinimumResponses}",
                    "list two or more scorer models under generation.scorers"
                )
            );
        if ((g.Judge ?? config.Judge?.Model) is null)
            problems.Add(
                new InputProblem(
                    config.Path,
                    line,
                    "no judge: generation needs a model that labels the values of opinions",
                    "add 'judge: { model: NAME }' at the top level, or generation.judge"
                )
            );
        if (g.Budget < 0)
            problems.Add(
                new InputProblem(config.Path, line, "generation.budget must not be negative", "set budget to the number of bandit steps")
            );
        return problems;
    }

    /// <summary>Models that generation calls (for the secrets check).</summary>
    public static IReadOnlyList<string> ModelsUsed(AdaemConfig config)
    {
        var g = config.Generation;
        var models = new List<string>();
        models.AddRange(g.Explorers);
        models.AddRange(g.Scorers);
        if ((g.Judge ?? config.Judge?.Model) is { } judge)
            models.Add(judge);
        if (g.SafetyModel is { } safety)
            models.Add(safety);
        if (g.ExpandSeeds > 0 && (g.Expander ?? (g.Explorers.Count > 0 ? g.Explorers[0] : null)) is { } expander)
            models.Add(expander);
        if (config.Embeddings.Model is { } emb)
            models.Add(emb);
        if (Translation.SeedTranslation.Applies(config) && config.Evaluation.Translator is { } translator)
            models.Add(translator);
        return models.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The evaluated models should not shape the questions they are evaluated on: a target that explored
    /// or scored the questions has seen (and in part written) the benchmark, which the paper rules out.
    /// </summary>
    public static IReadOnlyList<string> Warnings(AdaemConfig config)
    {
        var g = config.Generation;
        var warnings = new List<string>();
        foreach (var t in config.Evaluation.Targets)
        {
            var roles = new List<string>();
            if (g.Explorers.Contains(t))
                roles.Add("an explorer");
            if (g.Scorers.Contains(t))
                roles.Add("a scorer");
            if (roles.Count > 0)
                warnings.Add(
                    $"evaluation target '{t}' is also {string.Join(" and ", roles)}; the method keeps evaluated models out of question generation, so its scores may be biased"
                );
        }
        if ((g.Judge ?? config.Judge?.Model) is { } judge && config.Evaluation.Targets.Contains(judge))
            warnings.Add($"evaluation target '{judge}' is also the judge used during generation");
        var language = Prompts.Languages.PromptLanguages.Resolve(g.Language);
        if (!language.IsBuiltInEnglish)
            warnings.AddRange(
                Prompts.Languages.TheoryLanguage.Notes(Theory.TheoryLoader.Load(config.Theory, config.Directory), language, "generation")
            );
        if (Translation.SeedTranslation.Applies(config) && config.Evaluation.Translator is null)
            warnings.Add(
                $"generation asks in {language.Code}, but the seeds are English and no evaluation.translator is set to translate them: the seed questions are asked in English"
            );
        return warnings;
    }
}
