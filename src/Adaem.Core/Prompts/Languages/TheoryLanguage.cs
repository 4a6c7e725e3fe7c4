using Adaem.Core.Theory;

namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// The value theory in the judge's language: theory files may carry a name and a definition per language
/// for each value (<c>translations:</c>); where one is missing the judge reads the English text, and the user
/// is told which.
/// </summary>
public static class TheoryLanguage
{
    /// <summary>The theory as a judge asked in <paramref name="language"/> reads it (the theory itself for the built-in English).</summary>
    public static ValueTheory For(ValueTheory theory, PromptLanguage language) =>
        language.IsBuiltInEnglish ? theory : theory.In(language.Code, out _);

    /// <summary>A note for the user when the theory lacks some of its texts in <paramref name="language"/>; empty when complete.</summary>
    /// <param name="stage">Which judge, for the message ("evaluation", "generation").</param>
    public static IReadOnlyList<string> Notes(ValueTheory theory, PromptLanguage language, string stage)
    {
        if (language.IsBuiltInEnglish)
            return [];
        theory.In(language.Code, out var missing);
        if (missing.Count == 0)
            return [];
        var listed =
            missing.Count <= 6 ? string.Join(", ", missing) : string.Join(", ", missing.Take(6)) + $" and {missing.Count - 6} more";
        return
        [
            $"the {stage} judge is asked in {language.Code}, but theory '{theory.Code}' gives no {language.Code} text for {listed}; "
                + $"the judge reads those in English (add them under 'translations: {{ {language.Code}: ... }}' in the theory file, see docs/languages.md)",
        ];
    }
}
