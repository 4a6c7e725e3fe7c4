using Adaem.Core.Evaluation;

namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// Reads a stance (<see cref="Stances"/>) from the text after a stance label, by the rules of a language file,
/// applied in order: phrases the text contains, phrases it starts with, the format copied back (no stance),
/// prefixes, then the first word that is not a filler, looked up in the word lists; a yes word followed by
/// a negation reads as no ("should not").
/// </summary>
public sealed class StanceWords
{
    /// <summary>Rule groups in the order written: (stance, phrases).</summary>
    public required IReadOnlyList<(string Stance, IReadOnlyList<string> Phrases)> Contains { get; init; }
    public required IReadOnlyList<(string Stance, IReadOnlyList<string> Phrases)> Starts { get; init; }

    /// <summary>When the text contains every one of these, it is the template copied back and names no stance.</summary>
    public required IReadOnlyList<string> Echo { get; init; }
    public required IReadOnlyList<(string Stance, IReadOnlyList<string> Phrases)> Prefixes { get; init; }
    public required IReadOnlySet<string> Skip { get; init; }
    public required IReadOnlyDictionary<string, string> Words { get; init; }
    public required IReadOnlySet<string> Negations { get; init; }

    /// <param name="text">The stance text.</param>
    /// <param name="splitWords">Splits lower-cased text into words (apostrophes already removed).</param>
    public string? Map(string text, Func<string, IReadOnlyList<string>> splitWords)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length == 0)
            return null;
        foreach (var (stance, phrases) in Contains)
            if (phrases.Any(p => t.Contains(p, StringComparison.Ordinal)))
                return stance;
        foreach (var (stance, phrases) in Starts)
            if (phrases.Any(p => t.StartsWith(p, StringComparison.Ordinal)))
                return stance;
        if (Echo.Count > 0 && Echo.All(e => t.Contains(e, StringComparison.Ordinal)))
            return null;
        foreach (var (stance, phrases) in Prefixes)
            if (phrases.Any(p => t.StartsWith(p, StringComparison.Ordinal)))
                return stance;
        var words = splitWords(t);
        for (var i = 0; i < words.Count; i++)
        {
            if (Skip.Contains(words[i]))
                continue;
            var stance = Words.GetValueOrDefault(words[i]);
            if (stance == Stances.Yes && i + 1 < words.Count && Negations.Contains(words[i + 1]))
                return Stances.No;
            return stance;
        }
        return null;
    }
}
