using System.Globalization;
using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>A question of the arm shown to the explorer, with its informativeness score.</summary>
internal sealed record ExplorationExample(string Question, double Score);

/// <summary>What the two exploration steps produced.</summary>
internal sealed record ExploredQuestion(string Information, string? Argument, string Question);

/// <summary>
/// The two-step exploration prompt (the paper's Listing 5 then Listing 6). Step 1 asks the explorer to reason about
/// the general question and the best specific questions found so far, and to name one new piece of
/// concrete context; step 2 turns that context into one specific argument and its yes/no question.
/// Splitting the steps keeps the chain of thought out of the question and lets the context be recorded
/// (and shown back to later explorers of the same arm, so they look elsewhere).
/// </summary>
internal static class ExplorePrompt
{
    public const string Version = "v1";

    /// <summary>Exploration step 1 (the paper's context prompt): one new piece of concrete context for the general question.</summary>
    /// <param name="period">generation.period: a hint on when the new context should be set (e.g. "events after June 2026"); null for none.
    /// Without it the prompt is exactly as before, so cached calls stay valid.</param>
    /// <param name="language">The language to ask in; English by default.</param>
    public static Prompt<string> Context(
        string general,
        IReadOnlyList<ExplorationExample> examples,
        IReadOnlyList<string> usedContexts,
        string? period = null,
        PromptLanguage? language = null
    )
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var shown =
            examples.Count == 0
                ? t["explore.no_examples"]
                : ReplyText.Numbered(
                    examples.Select(e => t.Render("explore.example", ("question", e.Question), ("score", Format(e.Score))))
                );
        var used =
            usedContexts.Count == 0
                ? ""
                : t.Render(
                    "explore.used",
                    ("contexts", string.Join("\n", usedContexts.Select(c => t.Render("explore.used_line", ("context", c)))))
                );
        var periodText = string.IsNullOrWhiteSpace(period) ? "" : t.Render("explore.period", ("period", period.Trim()));
        var user = t.Render("explore.context", ("general", general), ("examples", shown), ("used", used), ("period", periodText));
        object fields = string.IsNullOrWhiteSpace(period)
            ? new
            {
                general,
                examples = examples.Select(e => new { question = e.Question, score = Math.Round(e.Score, 2) }).ToArray(),
                used_contexts = usedContexts.ToArray(),
            }
            : new
            {
                general,
                examples = examples.Select(e => new { question = e.Question, score = Math.Round(e.Score, 2) }).ToArray(),
                used_contexts = usedContexts.ToArray(),
                period = period.Trim(),
            };
        return PromptRequest
            .Create(PromptRoles.ExploreContext, Version, t["explore.system"], user, fields, language)
            .Reading(ReplyParse.Require<string>(r => ParseContext(r, language), t["errors.no_information"])) with
        {
            Reminder = language.Correction,
        };
    }

    /// <summary>Why a reply without a usable context is rejected (the model reads it when re-asked), in English.</summary>
    public const string NoInformation = "no \"[Information]: ...\" line";

    /// <summary>Why a reply without a usable question is rejected (also for the refine and seed-conversion replies), in English.</summary>
    public const string NoQuestion = "no \"[Question]: ...\" line with one short yes/no question";

    /// <summary>The context named on the last "[Information]:" line (or the language's own tag).</summary>
    public static string? ParseContext(string reply, PromptLanguage? language = null) =>
        ReplyText.Tag(reply, (language ?? PromptLanguage.English).Parsing.Tags.Information);

    /// <summary>Exploration step 2: the specific argument and its yes/no question, from the new context.</summary>
    public static Prompt<ExploredQuestion> Question(string general, string information, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var user = t.Render("explore.question", ("general", general), ("information", information));
        return PromptRequest
            .Create(PromptRoles.ExploreQuestion, Version, t["explore.system"], user, new { general, information }, language)
            .Reading(
                ReplyParse.Require(
                    r => ParseQuestion(r, language) is { } p ? new ExploredQuestion(information, p.Argument, p.Question) : null,
                    t["errors.no_question"]
                )
            ) with
        {
            Reminder = language.Correction,
        };
    }

    /// <summary>The argument (optional) and the question (required) of a step-2 reply.</summary>
    public static (string? Argument, string Question)? ParseQuestion(string reply, PromptLanguage? language = null)
    {
        var words = (language ?? PromptLanguage.English).Parsing;
        var question = ReplyText.Question(ReplyText.Tag(reply, words.Tags.Question), style: words.Question);
        if (question is null)
            return null;
        return (ReplyText.Tag(reply, words.Tags.Argument), question);
    }

    private static string Format(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);
}
