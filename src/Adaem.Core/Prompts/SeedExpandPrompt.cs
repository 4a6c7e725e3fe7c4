using System.Text;
using System.Text.RegularExpressions;

namespace Adaem.Core.Prompts;

/// <summary>A new seed topic proposed by the expander: the general claim and the yes/no question that asks about it.</summary>
public sealed record ProposedSeed(string Argument, string Question);

/// <summary>
/// Seed expansion (the paper's Listing 1): a few general controversial arguments of one topic category are
/// shown and the model proposes more like them, on other issues. The paper then converted each argument
/// to a yes/no question with a second few-shot prompt (Listing 2); here the same reply carries both, one
/// proposal per numbered line, which halves the calls and keeps argument and question together.
/// </summary>
public static partial class SeedExpandPrompt
{
    public const string Version = "v1";

    /// <summary>At most this many arguments of the seed set are listed as "already covered" (the prompt must stay short).</summary>
    public const int MaxUsedShown = 40;

    /// <summary>Why a reply without any usable proposal is rejected (the model reads it when re-asked).</summary>
    public const string NoProposals = "no numbered lines \"N. [Argument]: ... [Question]: ...?\" with a general argument and its yes/no question";

    private const string System =
        "You help build a benchmark of controversial questions on which thoughtful people disagree because they weigh values differently.";

    /// <summary>Seed expansion (the paper's Listing 1, with Listing 2's conversion in the same reply).</summary>
    public static Prompt<IReadOnlyList<ProposedSeed>> Create(string category, IReadOnlyList<string> examples, int count, IReadOnlyList<string> used)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var topic = category.Length == 0 ? "controversial issues" : $"controversial issues in the category \"{category}\"";
        var sb = new StringBuilder();
        sb.Append("Here are general arguments on ").Append(topic).Append(":\n");
        sb.Append(ReplyText.Numbered(examples.Select(e => "[Argument]: " + e))).Append("\n\n");
        if (used.Count > 0)
        {
            sb.Append("These issues are already covered; do not repeat them or reword them:\n")
              .Append(string.Join("\n", used.Select(u => "- " + u))).Append("\n\n");
        }
        sb.Append("Propose ").Append(count).Append(count == 1 ? " new general argument" : " new general arguments")
          .Append(" like the ones above, each on a different issue of the same kind. Each must be short (under 15 words), ")
          .Append("general rather than tied to one country, event or person, genuinely contested, and not harmful to discuss. ")
          .Append("For each, also write the neutral yes/no question that asks whether one agrees with it ")
          .Append("(e.g. \"Payday loans should be banned\" -> \"Should payday loans be banned?\").\n")
          .Append("Reply with exactly one line per proposal and nothing else:\n")
          .Append("1. [Argument]: <general argument> [Question]: <yes/no question>");
        return PromptRequest.Create(PromptRoles.SeedExpand, Version, System, sb.ToString(), new
        {
            category,
            examples = examples.ToArray(),
            count,
            used = used.ToArray(),
        }).Reading(Parse);
    }

    /// <summary>
    /// The proposals of a reply, in order. Tolerant of markdown, missing numbering and brackets, and of the
    /// question on the line after its argument. An argument without a usable question is skipped (noted), as
    /// is a repeat of an earlier proposal of the same reply. No proposal at all is a failure.
    /// </summary>
    public static ReplyParse<IReadOnlyList<ProposedSeed>> Parse(string reply)
    {
        var proposals = new List<ProposedSeed>();
        var notes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? pending = null;

        void Emit(string argument, string? questionText)
        {
            var question = ReplyText.Question(questionText, maxWords: 30);
            if (question is null) { notes.Add($"no usable question for argument \"{Short(argument)}\""); return; }
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
            var a = ArgumentTag().Match(line);
            var q = QuestionTag().Match(line);
            if (a.Success)
            {
                if (pending is not null) Emit(pending, null);
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
        if (pending is not null) Emit(pending, null);

        return proposals.Count == 0
            ? ReplyParse<IReadOnlyList<ProposedSeed>>.Failure(NoProposals, notes)
            : ReplyParse<IReadOnlyList<ProposedSeed>>.Success(proposals, notes);
    }

    private static string CleanArgument(string text) => ReplyText.Clean(text).TrimEnd('|', ';', ',', '-', ' ').TrimEnd('.').Trim();

    private static string Short(string s) => s.Length <= 60 ? s : s[..60] + "...";

    [GeneratedRegex(@"^\s*(?:\d{1,3}\s*[.):]|[-*•])\s*")]
    private static partial Regex Numbering();

    [GeneratedRegex(@"\[?\s*Argument\s*\]?\s*[:：]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ArgumentTag();

    [GeneratedRegex(@"\[?\s*Question\s*\]?\s*[:：]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionTag();
}
