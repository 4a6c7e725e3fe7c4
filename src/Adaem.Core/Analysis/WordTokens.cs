using System.Text.RegularExpressions;

namespace Adaem.Core.Analysis;

/// <summary>
/// The one tokenisation every text statistic uses: lower-cased runs of letters, digits and inner
/// apostrophes; punctuation is dropped. Keeping it in one place makes the length, BLEU, distinct-n and
/// similarity numbers describe the same tokens.
/// </summary>
public static partial class WordTokens
{
    public static string[] Of(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value.Trim('\'')).Where(w => w.Length > 0).ToArray();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
