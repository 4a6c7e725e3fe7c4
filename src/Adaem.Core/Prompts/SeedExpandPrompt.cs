using System.Text.RegularExpressions;
using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>A new seed topic proposed by the expander: the general claim and the yes/no question that asks about it.</summary>
internal sealed record ProposedSeed(string Argument, string Question);

/// <summary>
/// Seed expansion (the paper's Listing 1): a few general controversial arguments of one topic category are
/// shown and the model proposes more like them, on other issues. The paper then converted each argument
/// to a yes/no question with a second few-shot prompt (Listing 2); here the same reply carries both, one
/// proposal per numbered line, which halves the calls and keeps argument and question together.
/// </summary>
internal static partial class SeedExpandPrompt
{
    public const string Version = "v1";

    /// <summary>At most this many arguments of the seed set are listed as "already covered" (the prompt must stay short).</summary>
    public const int MaxUsedShown = 40;

    /// <summary>Why a reply without any usable proposal is rejected (the model reads it when re-asked), in English.</summary>
    public const string NoProposals =
        "no numbered lines \"N. [Argument]: ... [Question]: ...?\" with a general argument and its yes/no question";

    /// <summary>Seed expansion (the paper's Listing 1, with Listing 2's conversion in the same reply).</summary>
    public static Prompt<IReadOnlyList<ProposedSeed>> Create(
        string category,
        IReadOnlyList<string> examples,
        int count,
        IReadOnlyList<string> used,
        PromptLanguage? language = null
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var topic = category.Length == 0 ? t["seed_expand.topic"] : t.Render("seed_expand.topic_category", ("category", category));
        var shown = ReplyText.Numbered(examples.Select(e => t.Render("seed_expand.example", ("argument", e))));
        var covered =
            used.Count == 0
                ? ""
                : t.Render(
                    "seed_expand.used",
                    ("arguments", string.Join("\n", used.Select(u => t.Render("seed_expand.used_line", ("argument", u)))))
                );
        var proposal = t.Render(count == 1 ? "seed_expand.proposal_one" : "seed_expand.proposal_many", ("count", count));
        var user = t.Render("seed_expand.user", ("topic", topic), ("examples", shown), ("used", covered), ("proposal", proposal));
        return PromptRequest
            .Create(
                PromptRoles.SeedExpand,
                Version,
                t["seed_expand.system"],
                user,
                new
                {
                    category,
                    examples = examples.ToArray(),
                    count,
                    used = used.ToArray(),
                },
                language
            )
            .Reading(r => Parse(r, language)) with
        {
            Reminder = language.Correction,
        };
    }

    /// <summary>
    /// The proposals of a reply, in order. Tolerant of markdown, missing numbering and brackets, and of the
    /// question on the line after its argument. An argument without a usable question is skipped (noted), as
    /// is a repeat of an earlier proposal of the same reply. No proposal at all is a failure.
    /// </summary>
    public static ReplyParse<IReadOnlyList<ProposedSeed>> Parse(string reply, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var words = language.Parsing;
        var argumentTag = TagPattern(words.Tags.Argument);
        var questionTag = TagPattern(words.Tags.Question);
        var proposals = new List<ProposedSeed>();
        var notes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? pending = null;

        void Emit(string argument, string? questionText)
        {
            var question = ReplyText.Question(questionText, maxWords: 30, style: words.Question);
            if (question is null)
            {
                notes.Add($"no usable question for argument \"{Short(argument)}\"");
                return;
            }
            if (!seen.Add(ReplyText.Fold(argument)) | !seen.Add("?" + ReplyText.Fold(question)))
            {
                notes.Add($"repeated proposal \"{Short(argument)}\"");
                return;
            }
            proposals.Add(new ProposedSeed(argument, question));
        }

        foreach (var raw in ReplyText.Lines(reply))
        {
            var line = Numbering().Replace(raw, "");
            var a = argumentTag.Match(line);
            var q = questionTag.Match(line);
            if (a.Success)
            {
                if (pending is not null)
                    Emit(pending, null);
                var end = q.Success && q.Index > a.Index ? q.Index : line.Length;
                var argument = CleanArgument(line[(a.Index + a.Length)..end]);
                pending = argument.Length < 3 || argument.StartsWith('<') ? null : argument;
                if (pending is not null && q.Success && q.Index > a.Index)
                {
                    Emit(pending, line[(q.Index + q.Length)..]);
                    pending = null;
                }
            }
            else if (q.Success && pending is not null)
            {
                Emit(pending, line[(q.Index + q.Length)..]);
                pending = null;
            }
        }
        if (pending is not null)
            Emit(pending, null);

        return proposals.Count == 0
            ? ReplyParse<IReadOnlyList<ProposedSeed>>.Failure(language.Templates["errors.no_proposals"], notes)
            : ReplyParse<IReadOnlyList<ProposedSeed>>.Success(proposals, notes);
    }

    private static string CleanArgument(string text) => ReplyText.Clean(text).TrimEnd('|', ';', ',', '-', ' ').TrimEnd('.').Trim();

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "...";

    [GeneratedRegex(@"^\s*(?:\d{1,3}\s*[.):]|[-*•])\s*")]
    private static partial Regex Numbering();

    /// <summary>"[Argument]:" and the like, in any of the language's ways of writing the tag.</summary>
    private static Regex TagPattern(IReadOnlyList<string> tags)
    {
        var tag = tags.Count == 1 ? Regex.Escape(tags[0]) : "(?:" + string.Join("|", tags.Select(Regex.Escape)) + ")";
        return new Regex($@"\[?\s*{tag}\s*\]?\s*[:：]\s*", RegexOptions.IgnoreCase);
    }
}
