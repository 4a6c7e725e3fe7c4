using System.Text.RegularExpressions;
using Adaem.Core.Data;

namespace Adaem.Core.Analysis;

/// <summary>
/// The one tokenisation every text statistic uses: lower-cased runs of letters, digits and inner
/// apostrophes; punctuation is dropped. Scripts written without spaces are counted by character: every Han,
/// Hiragana, Katakana or Hangul character is a token of its own (<see cref="CjkText"/>), and runs of other
/// letters inside such text stay words ("AI模型" is "ai", "模", "型"). Keeping it in one place makes the
/// length, BLEU, distinct-n and similarity numbers describe the same tokens in every language.
/// </summary>
internal static partial class WordTokens
{
    public static string[] Of(string text)
    {
        var lower = text.ToLowerInvariant();
        var words = Word().Matches(lower).Select(m => m.Value.Trim('\'')).Where(w => w.Length > 0);
        return CjkText.Any(lower) ? words.SelectMany(SplitCjk).ToArray() : words.ToArray();
    }

    /// <summary>A word with its CJK characters split out, each a token; the runs between them stay whole.</summary>
    private static IEnumerable<string> SplitCjk(string word)
    {
        var start = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (!CjkText.IsCjk(word[i]))
                continue;
            if (i > start && word[start..i].Trim('\'') is { Length: > 0 } before)
                yield return before;
            yield return word[i].ToString();
            start = i + 1;
        }
        if (start < word.Length && word[start..].Trim('\'') is { Length: > 0 } rest)
            yield return rest;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
