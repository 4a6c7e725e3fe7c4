using System.Text.RegularExpressions;

namespace Adaem.Core.Generation;

/// <summary>
/// The deterministic rule that turns a general argument into a yes/no question when no model converts
/// it: Touché23 conclusions are short claims, mostly "We should X" or "X should be Y", so moving the
/// modal or copula to the front covers nearly all of them ("We should ban whaling" → "Should we ban
/// whaling?"); anything else becomes "Do you agree that ...?", which is always a valid yes/no question.
/// </summary>
internal static partial class ArgumentQuestion
{
    // Modals first: in "People who are poor should get aid" the clause's verb is "should", not "are".
    // "do/does/has/have" are left out because they are usually main verbs ("Zoos do more harm than good").
    private static readonly string[][] Passes =
    [
        ["should", "must", "can", "could", "would", "will"],
        ["is", "are", "was", "were"],
    ];

    public static string FromArgument(string argument)
    {
        var a = Whitespace().Replace(argument, " ").Trim().TrimEnd('.', '!', ';', ':', ',').Trim();
        if (a.Length == 0)
            return "";
        if (a.EndsWith('?'))
            return Capitalise(a);

        var words = a.Split(' ');
        // "X should be Y" → "Should X be Y?": the first auxiliary after a subject of 1-8 words.
        foreach (var pass in Passes)
        {
            for (var i = 1; i < Math.Min(words.Length - 1, 9); i++)
            {
                var w = words[i].ToLowerInvariant();
                if (!pass.Contains(w))
                    continue;
                if (words[i + 1].Equals("not", StringComparison.OrdinalIgnoreCase))
                    return Agree(a); // negations read badly fronted
                var subject = string.Join(' ', words[..i]);
                var rest = string.Join(' ', words[(i + 1)..]);
                return Capitalise($"{w} {LowerFirst(subject)} {rest}") + "?";
            }
        }
        return Agree(a);
    }

    private static string Agree(string a) => $"Do you agree that {LowerFirst(a)}?";

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    // Keep acronyms and proper nouns: lower only a capitalised ordinary first word.
    private static string LowerFirst(string s)
    {
        if (s.Length < 2 || !char.IsUpper(s[0]) || char.IsUpper(s[1]))
            return s;
        var first = s.Split(' ')[0];
        return first is "I" ? s : char.ToLowerInvariant(s[0]) + s[1..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
