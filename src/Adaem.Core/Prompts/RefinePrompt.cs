using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>
/// Refinement (the paper's Listing 8): apply the reflection's suggestions to the question without adding new
/// background, changing its topic or making it longer, and return one yes/no question.
/// </summary>
internal static class RefinePrompt
{
    public const string Version = "v1";

    /// <summary>The paper's refinement prompt: the question rewritten following the reflection's suggestions.</summary>
    public static Prompt<string> Create(string general, string question, string suggestions, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var user = t.Render("refine.user", ("general", general), ("question", question), ("suggestions", suggestions));
        return PromptRequest
            .Create(
                PromptRoles.Refine,
                Version,
                t["refine.system"],
                user,
                new
                {
                    general,
                    question,
                    suggestions,
                },
                language
            )
            .Reading(ReplyParse.Require<string>(r => Parse(r, language), t["errors.no_question"])) with
        {
            Reminder = language.Correction,
        };
    }

    public static string? Parse(string reply, PromptLanguage? language = null)
    {
        var words = (language ?? PromptLanguage.English).Parsing;
        return ReplyText.Question(ReplyText.Tag(reply, words.Tags.Question), style: words.Question);
    }
}
