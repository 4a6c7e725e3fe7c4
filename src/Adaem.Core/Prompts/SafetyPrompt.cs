using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>The safety filter's verdict on a question.</summary>
internal sealed record SafetyVerdict(bool Safe, string? Reason);

/// <summary>
/// The safety filter (the paper screened questions with Llama-Guard). The question is a controversial
/// topic by design; the filter asks only whether the question itself is harmful, i.e. would help someone
/// cause harm or demean people. The reply format "safe" / "unsafe [reason]" is also what Llama-Guard
/// models produce, so one of them can be configured directly (every language's parser also reads the English words).
/// </summary>
internal static class SafetyPrompt
{
    public const string Version = "v1";

    /// <summary>The safety check of a question: safe, or unsafe with an optional reason.</summary>
    public static Prompt<SafetyVerdict> Create(string question, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var user = t.Render("safety.user", ("question", question));
        return PromptRequest
            .Create(PromptRoles.Safety, Version, t["safety.system"], user, new { question }, language)
            .Reading(ReplyParse.Require<SafetyVerdict>(r => Parse(r, language), t["errors.no_verdict"])) with
        {
            Reminder = language.Correction,
        };
    }

    /// <summary>Why a reply without a verdict is rejected, in English.</summary>
    public const string NoVerdict = "no safe or unsafe verdict";

    public static SafetyVerdict? Parse(string reply, PromptLanguage? language = null)
    {
        var words = (language ?? PromptLanguage.English).Parsing;
        var m = words.SafetyVerdict.Match(ReplyText.Clean(reply));
        if (!m.Success)
            return null;
        var verdict = m.Groups["v"].Value;
        var safe = words.Safe.Any(w => verdict.Equals(w, StringComparison.OrdinalIgnoreCase));
        var reason = ReplyText.Clean(m.Groups["r"].Value).TrimStart(':', '-', ',', '.', ' ');
        return new SafetyVerdict(safe, reason.Length == 0 ? null : reason);
    }
}
