using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>
/// Turns a general argument (e.g. a Touché23 conclusion, "We should ban payday loans") into the
/// generic yes/no question that seeds an arm ("Should payday loans be banned?"), with three examples.
/// </summary>
internal static class SeedConvertPrompt
{
    public const string Version = "v1";

    /// <summary>A seed's general argument turned into its yes/no question.</summary>
    public static Prompt<string> Create(string argument, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var user = t.Render("seed_convert.user", ("argument", argument));
        return PromptRequest
            .Create(PromptRoles.SeedConvert, Version, t["seed_convert.system"], user, new { argument }, language)
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
