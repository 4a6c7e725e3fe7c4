using System.Text.RegularExpressions;

namespace Adaem.Providers.Simulated;

/// <summary>Small rewrites of questions and arguments used by the simulated explorer and refiner.</summary>
internal static partial class QuestionText
{
    [GeneratedRegex(
        @"^(?<subj>.+?)\s+(?<modal>should|must|ought to)\s+(?<rest>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex Modal();

    [GeneratedRegex(@"^(?<subj>.+?)\s+(?<verb>needs?|deserves?)\s+(?<rest>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Need();

    [GeneratedRegex(@"^(?<subj>.+?)\s+(?<verb>is|are|can|will)\s+(?<rest>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Copula();

    [GeneratedRegex(
        @",?\s+(even if|even at|even against|even though|at the cost of|at the expense of)\b.*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex TradeOff();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();

    public static int WordCount(string text) => Spaces().Split(text.Trim()).Count(w => w.Length > 0);

    /// <summary>A yes/no question from an argument: "Payday loans should be banned" → "Should payday loans be banned?".</summary>
    public static string FromArgument(string argument)
    {
        var a = Spaces().Replace(argument.Trim(), " ").TrimEnd('.', '!', ';', ' ');
        if (a.Length == 0)
            return "Should this be allowed?";
        if (a.EndsWith('?'))
            return Capitalise(a);
        if (Modal().Match(a) is { Success: true } m && WordCount(m.Groups["subj"].Value) <= 8)
        {
            var rest = m.Groups["rest"].Value;
            return $"Should {LowerFirst(m.Groups["subj"].Value)} {rest}?";
        }
        if (Need().Match(a) is { Success: true } n && WordCount(n.Groups["subj"].Value) <= 6)
        {
            var subj = LowerFirst(n.Groups["subj"].Value);
            var verb = n.Groups["verb"].Value.ToLowerInvariant().TrimEnd('s');
            var aux = n.Groups["verb"].Value.EndsWith('s') ? "Does" : "Do";
            return $"{aux} {subj} {verb} {n.Groups["rest"].Value}?";
        }
        if (Copula().Match(a) is { Success: true } c && WordCount(c.Groups["subj"].Value) <= 6)
        {
            var verb = c.Groups["verb"].Value.ToLowerInvariant();
            return $"{Capitalise(verb)} {LowerFirst(c.Groups["subj"].Value)} {c.Groups["rest"].Value}?";
        }
        return $"Should we accept that {LowerFirst(a)}?";
    }

    /// <summary>A question without its final question mark, as a base to extend.</summary>
    public static string Stem(string question)
    {
        var q = Spaces().Replace(question.Trim(), " ");
        if (!q.EndsWith('?'))
            q = FromArgument(q);
        return q.TrimEnd('?', ' ');
    }

    /// <summary>The question without a trailing trade-off clause ("..., even if ...").</summary>
    public static string WithoutTradeOff(string stem) => TradeOff().Replace(stem, "");

    /// <summary>Cuts a stem to at most <paramref name="maxWords"/> words, at its first comma when that is enough.</summary>
    public static string Shorten(string stem, int maxWords)
    {
        if (WordCount(stem) <= maxWords)
            return stem;
        var comma = stem.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0 && WordCount(stem[..comma]) <= maxWords)
            return stem[..comma];
        return string.Join(' ', Spaces().Split(stem.Trim()).Take(maxWords));
    }

    public static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Lower-cases the first letter unless the first word looks like a name or an acronym.</summary>
    public static string LowerFirst(string s)
    {
        if (s.Length < 2)
            return s.ToLowerInvariant();
        var first = s.Split(' ')[0];
        var looksProper =
            first.Length > 1
            && (first.Skip(1).Any(char.IsUpper) || ContextBank.Entries.Any(c => c.Entity.StartsWith(first, StringComparison.Ordinal)));
        return looksProper || first == "I" ? s : char.ToLowerInvariant(s[0]) + s[1..];
    }
}
