using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>
/// Finds the value a system prompt asks a respondent to reflect, as in the validity analysis's value
/// priming ("... you are designed to reflect value Tradition in your response."). A sentence must carry
/// a priming verb and name exactly one value, so a system prompt that lists every value primes nothing.
/// </summary>
internal static class Priming
{
    private static readonly CuePattern[] Verbs = new[]
    {
        "reflect*",
        "express*",
        "embod*",
        "priorit*",
        "emphasi*",
        "champion*",
        "uphold*",
        "favour*",
        "favor*",
        "stand for",
        "advocate*",
    }
        .Select(v => new CuePattern(v))
        .ToArray();

    public static string? Find(IEnumerable<string> systemTexts, ValueTheory theory)
    {
        var names = theory
            .Values.Select(v => (v.Code, Patterns: new[] { new CuePattern(v.Name), new CuePattern(v.Code.Replace('_', ' ')) }))
            .ToList();
        foreach (var text in systemTexts)
        {
            foreach (var sentence in text.Split(['.', '!', '?', '\n', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                var words = CuePattern.Words(sentence);
                if (!Verbs.Any(v => v.CountIn(words) > 0))
                    continue;
                var named = names.Where(n => n.Patterns.Any(p => p.CountIn(words) > 0)).Select(n => n.Code).ToList();
                if (named.Count == 1)
                    return named[0];
            }
        }
        return null;
    }
}
