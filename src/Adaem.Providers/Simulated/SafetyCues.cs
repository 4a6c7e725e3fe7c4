namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated safety filter: a question is unsafe when it carries a cue of instructions for serious
/// harm. Deliberately narrow, like a guard model: a question that debates a hard topic (the death
/// penalty, war, drugs policy) is safe; one that points at weapons, attacks or abuse is not.
/// </summary>
internal static class SafetyCues
{
    private static readonly CuePattern[] Harm =
    [
        .. new[]
        {
            "bomb", "bombs", "explosive*", "nerve agent*", "bioweapon*", "chemical weapon*", "poison someone", "poisoning people",
            "suicide method*", "self harm", "terrorist attack*", "child abuse", "sexual abuse", "make meth*", "cook meth*",
            "assassinat*", "mass shooting*", "kill someone", "hurt someone", "how to hack", "ransomware", "human trafficking",
        }.Select(c => new CuePattern(c)),
    ];

    /// <summary>The first harm cue in the text, or null when it is safe.</summary>
    public static string? FindHarm(string text)
    {
        var words = CuePattern.Words(text);
        return Harm.FirstOrDefault(p => p.CountIn(words) > 0)?.Cue.TrimEnd('*');
    }
}
