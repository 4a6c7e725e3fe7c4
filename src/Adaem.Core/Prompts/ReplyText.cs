using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Adaem.Core.Data;
using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>
/// Tolerant reading of tagged replies such as "[Question]: ...": the tag may lose its brackets, change
/// case or be wrapped in markdown emphasis, and the value may be quoted. The last occurrence wins,
/// because models often restate the format before answering.
/// </summary>
internal static partial class ReplyText
{
    /// <summary>
    /// The text after the last "[tag]:" up to the end of its line (or of the reply when <paramref name="multiline"/>),
    /// cleaned.
    /// </summary>
    public static string? Tag(string reply, string tag, bool multiline = false) => Tag(reply, [tag], multiline);

    /// <summary>
    /// As <see cref="Tag(string, string, bool)"/> for a tag written in any of several ways (a language's tag and its
    /// fallbacks).
    /// </summary>
    public static string? Tag(string reply, IReadOnlyList<string> tags, bool multiline = false)
    {
        var tag = tags.Count == 1 ? Regex.Escape(tags[0]) : "(?:" + string.Join("|", tags.Select(Regex.Escape)) + ")";
        var pattern = $@"^[ \t>*_#-]*\[?[ \t]*{tag}[ \t]*\]?[ \t*_]*[:：][ \t*_]*(?<v>.*)$";
        reply = Normalize(reply);
        var matches = Regex.Matches(reply, pattern, RegexOptions.IgnoreCase | RegexOptions.Multiline);
        if (matches.Count == 0)
            return null;
        var m = matches[^1];
        var value = m.Groups["v"].Value;
        if (multiline)
            value = reply[m.Groups["v"].Index..];
        var cleaned = Clean(value);
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>
    /// Invisible marks that steer or break text without being part of it: the bidirectional marks, embeddings,
    /// overrides and isolates (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069) that right-to-left replies
    /// (Arabic, Hebrew, Persian) put around labels and numbers, and the zero-width space, word joiner and byte-order
    /// mark (U+200B, U+2060, U+FEFF). The zero-width non-joiner and joiner (U+200C, U+200D) are not among them:
    /// they are part of Persian words and of emoji.
    /// </summary>
    private static readonly SearchValues<char> Invisible = SearchValues.Create(
        "\u200E\u200F\u061C\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u2060\uFEFF"
    );

    /// <summary>
    /// The reply without invisible direction marks and zero-width spaces (see <see cref="Invisible"/>), so every
    /// parser reads a label or a number the marks wrap, in every language. The parsers' helpers here (tags, lines,
    /// JSON, cleaning) apply it first; a reply without such marks is returned as it is.
    /// </summary>
    public static string Normalize(string reply)
    {
        var first = reply.AsSpan().IndexOfAny(Invisible);
        if (first < 0)
            return reply;
        var sb = new StringBuilder(reply.Length);
        sb.Append(reply, 0, first);
        foreach (var c in reply.AsSpan(first))
        {
            if (!Invisible.Contains(c))
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Strips markdown emphasis, surrounding quotes and extra whitespace.</summary>
    public static string Clean(string text)
    {
        var t = Emphasis().Replace(Normalize(text), "");
        t = Whitespace().Replace(t, " ").Trim();
        t = t.Trim('"', '\'', '“', '”', '‘', '’', '`').Trim();
        return t;
    }

    /// <summary>
    /// A usable yes/no question or null: one sentence, not empty, not a runaway paragraph. A missing
    /// question mark is added (models often drop it); the leading "Question:" echo is not part of it.
    /// <paramref name="style"/> gives the language's question marks and how its length is counted (English by default).
    /// </summary>
    public static string? Question(string? text, int maxWords = 60, QuestionStyle? style = null)
    {
        if (text is null)
            return null;
        style ??= QuestionStyle.English;
        var t = Clean(text);
        var q = t.IndexOfAny(style.Marks.ToCharArray());
        if (q >= 0)
            t = t[..(q + 1)];
        t = t.Trim();
        // An echoed template ("<one yes/no question>") is not an answer.
        if (t.Length < 5 || t.StartsWith('<'))
            return null;
        var words = style.CountCharacters ? Words(t) : t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (words < 2 || words > maxWords)
            return null;
        if (!style.Marks.Contains(t[^1], StringComparison.Ordinal))
            t = t.TrimEnd(style.Trim.ToCharArray()) + style.Marks[0];
        return char.ToUpperInvariant(t[0]) + t[1..];
    }

    /// <summary>
    /// The length of a text in words for a language written without spaces: two CJK characters count as one word,
    /// other runs of letters as one each.
    /// </summary>
    private static int Words(string text)
    {
        int cjk = 0,
            runs = 0;
        var inRun = false;
        foreach (var c in text)
        {
            if (CjkText.IsCjk(c))
            {
                cjk++;
                inRun = false;
            }
            else if (char.IsLetterOrDigit(c))
            {
                if (!inRun)
                    runs++;
                inRun = true;
            }
            else
                inRun = false;
        }
        return runs + (cjk + 1) / 2;
    }

    /// <summary>Renders numbered lines "1. x" for a prompt.</summary>
    public static string Numbered(IEnumerable<string> items)
    {
        var sb = new StringBuilder();
        var i = 1;
        foreach (var item in items)
            sb.Append(i++).Append(". ").Append(item).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }

    [GeneratedRegex(@"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
