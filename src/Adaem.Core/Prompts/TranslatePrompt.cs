using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>
/// A question translated into another language, for cross-lingual evaluation (the questions, into each
/// evaluation language) and for generation in another language (the English seed questions). The prompt is
/// written in the target language's templates (translate.system, translate.user). The reply must be the
/// translated question and nothing else: a reply that is empty, holds more lines than the question (a preamble
/// such as "Here is the translation:"), or only repeats the question is refused and re-asked. One pair of
/// quotation marks around the whole reply is taken off; nothing else is forgiven.
/// </summary>
internal static class TranslatePrompt
{
    public const string Version = "v1";

    /// <summary>The translation of <paramref name="text"/>, written in <paramref name="source"/>, into <paramref name="target"/>.</summary>
    public static Prompt<string> Create(string text, PromptLanguage source, PromptLanguage target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var t = target.Templates;
        var user = t.Render("translate.user", ("source_language", source.NativeName), ("text", text));
        return PromptRequest
            .Create(
                PromptRoles.Translate,
                Version,
                t["translate.system"],
                user,
                new
                {
                    text,
                    source = source.Code,
                    target = target.Code,
                },
                target
            )
            .Reading(reply => Parse(reply, text, target)) with
        {
            Reminder = target.Correction,
        };
    }

    /// <summary>The prompt version a translation into <paramref name="target"/> is stored under (tagged for any language but the built-in
    /// English).</summary>
    public static string VersionFor(PromptLanguage target) => Version + target.PromptTag;

    /// <summary>Wrapping quotation marks taken off a reply: opening and closing mark of each pair.</summary>
    private static readonly (char Open, char Close)[] Quotes =
    [
        ('"', '"'),
        ('\'', '\''),
        ('“', '”'),
        ('„', '“'),
        ('«', '»'),
        ('「', '」'),
        ('『', '』'),
    ];

    /// <summary>The translated question, or why the reply is not one (in the target language, as the model reads it when
    /// re-asked).</summary>
    public static ReplyParse<string> Parse(string reply, string source, PromptLanguage? target = null)
    {
        var t = (target ?? PromptLanguage.English).Templates;
        var text = Unquote(reply.Trim());
        if (text.Length == 0)
            return ReplyParse<string>.Failure(t["errors.no_translation"]);
        if (Lines(text) > Math.Max(1, Lines(source)))
            return ReplyParse<string>.Failure(t["errors.no_translation"]);
        if (string.Equals(Normal(text), Normal(source), StringComparison.Ordinal))
            return ReplyParse<string>.Failure(t["errors.untranslated"]);
        return ReplyParse<string>.Success(text);
    }

    private static string Unquote(string text)
    {
        foreach (var (open, close) in Quotes)
        {
            if (text.Length >= 2 && text[0] == open && text[^1] == close && text.IndexOf(close, 1) == text.Length - 1)
                return text[1..^1].Trim();
        }
        return text;
    }

    private static int Lines(string text) => text.Split('\n').Count(l => l.Trim().Length > 0);

    /// <summary>Case and white space aside, so an echo with other spacing is still an echo.</summary>
    private static string Normal(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
