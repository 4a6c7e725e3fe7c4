using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Configuration;

/// <summary>
/// evaluation.languages and evaluation.translator: every target evaluated in several languages on the same
/// questions, translated by a model of the config. Each language is written as <c>language:</c> accepts (a
/// shipped tag or a language folder); at least two, each once. A translator is required as soon as one of the
/// languages is not the questions' own, which is the generation language.
/// </summary>
internal static class CrossLingualConfig
{
    /// <summary>The evaluation config with <see cref="EvaluationConfig.Languages"/> and <see cref="EvaluationConfig.Translator"/> read and
    /// checked.</summary>
    public static EvaluationConfig Read(
        YamlSection e,
        EvaluationConfig evaluation,
        string questionsLanguage,
        IReadOnlyDictionary<string, ModelConfig> models,
        string dir,
        bool checkFiles
    )
    {
        var translator = e.String("translator");
        if (translator is not null)
        {
            if (!models.ContainsKey(translator))
                e.Problem(
                    e.LineOf("translator"),
                    $"evaluation.translator '{translator}' names no model",
                    $"use one of: {ConfigLoader.Names(models)}, or add '{translator}' under models"
                );
            ConfigLoader.RejectEncoder(e, "evaluation.translator", translator, e.LineOf("translator"), models);
        }
        evaluation = evaluation with { Translator = translator };
        if (!e.Has("languages"))
            return evaluation;

        var line = e.LineOf("languages");
        var items = e.List("languages");
        if (items is null)
            return evaluation with { LanguagesLine = line };
        var languages = new List<string>();
        var codes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, itemLine) in items)
        {
            var resolved = ConfigLoader.ResolveLanguage(e, "evaluation.languages", value, itemLine, dir, checkFiles);
            if (resolved is null)
                continue;
            var code = CodeOf(resolved, checkFiles);
            if (codes.TryGetValue(code, out var first))
            {
                e.Problem(itemLine, $"evaluation.languages lists {code} twice (first at line {first})", "list each language once");
                continue;
            }
            codes[code] = itemLine;
            languages.Add(resolved);
        }
        if (items.Count < 2)
            e.Problem(
                line,
                $"evaluation.languages lists {items.Count} language(s); a cross-lingual evaluation compares at least two",
                "list two or more, e.g. languages: [en, zh], or remove it and set evaluation.language to evaluate in one language"
            );
        if (e.Has("language"))
            e.Problem(
                e.LineOf("language"),
                "evaluation.language and evaluation.languages are both set",
                "with languages, every target is asked and judged in each listed language: remove evaluation.language"
            );

        var source = CodeOf(questionsLanguage, checkFiles);
        var foreign = codes.Keys.Where(c => !string.Equals(c, source, StringComparison.OrdinalIgnoreCase)).ToList();
        if (translator is null && foreign.Count > 0)
            e.Problem(
                line,
                $"evaluation.languages asks in {string.Join(", ", foreign)}, which is not the questions' language ({source}, the generation language), so the questions must be translated",
                $"add 'translator: MODEL' under evaluation, naming the model that translates them (one of: {ConfigLoader.Names(models)})"
            );
        return evaluation with { Languages = languages, LanguagesLine = line };
    }

    /// <summary>The language tag a resolved value stands for: a shipped tag as it is, a folder's declared code (its path when files are not
    /// read).</summary>
    private static string CodeOf(string resolved, bool checkFiles)
    {
        if (!PromptLanguages.IsPath(resolved))
            return resolved;
        if (!checkFiles)
            return resolved;
        try
        {
            return PromptLanguages.Get(resolved).Code;
        }
        catch (Errors.InputException)
        {
            // Reported where the folder is named; here it only needs a name.
            return resolved;
        }
    }
}
