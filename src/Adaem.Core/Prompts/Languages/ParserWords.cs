using System.Text.RegularExpressions;

namespace Adaem.Core.Prompts.Languages;

/// <summary>How a language ends and measures a question (see <see cref="ReplyText.Question(string?, int, QuestionStyle?)"/>).</summary>
/// <param name="Marks">The characters that end a question; the first is added to a question that lacks one.</param>
/// <param name="Trim">Characters trimmed from the end of a question before its mark is added.</param>
/// <param name="CountCharacters">True for languages written without spaces: two letters count as one word.</param>
public sealed record QuestionStyle(string Marks, string Trim, bool CountCharacters)
{
    public static readonly QuestionStyle English = new("?", ".!;:,", false);
}

/// <summary>The tags of tagged replies ("[Question]: ..."): each list holds the language's own tag first, then fallbacks.</summary>
public sealed record ReplyTags(
    IReadOnlyList<string> Information,
    IReadOnlyList<string> Question,
    IReadOnlyList<string> Argument,
    IReadOnlyList<string> Suggestions
)
{
    public static readonly ReplyTags English = new(["Information"], ["Question"], ["Argument"], ["Suggestions"]);
}

/// <summary>
/// What the parsers of one language read in replies (language.yaml): the stance words, the patterns of an
/// opinion reply (stance line, key-points heading, list items, justification labels, refusals), the
/// per-value judge's yes and no, the safety verdict, the reply tags and the "no value" labels.
/// </summary>
public sealed class ParserWords
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    public required StanceWords Stance { get; init; }
    public required QuestionStyle Question { get; init; }
    public required ReplyTags Tags { get; init; }
    public required Regex StanceLine { get; init; }
    public required Regex KeyPointsHeading { get; init; }
    public required Regex ItemStart { get; init; }
    public required Regex JustificationLabel { get; init; }
    public required Regex Refusal { get; init; }
    public required Regex JudgeAnswer { get; init; }

    /// <summary>Lower-cased judge answers that mean yes; any other match of <see cref="JudgeAnswer"/> means no.</summary>
    public required IReadOnlySet<string> JudgeYes { get; init; }
    public required Regex SafetyVerdict { get; init; }

    /// <summary>Verdict words (any case) that mean safe; any other verdict means unsafe.</summary>
    public required IReadOnlyList<string> Safe { get; init; }

    /// <summary>Folded labels (see <see cref="ReplyText.Fold"/>) that mean "no value" in a judge's JSON.</summary>
    public required IReadOnlySet<string> NoneLabels { get; init; }

    /// <summary>Compiles a pattern of a language file (ignoring case, culture-invariant).</summary>
    public static Regex Compile(string pattern, bool singleline = false) =>
        new(pattern, singleline ? Options | RegexOptions.Singleline : Options);
}
