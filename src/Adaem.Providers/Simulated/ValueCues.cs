namespace Adaem.Providers.Simulated;

/// <summary>
/// What the simulation knows about one value: the words that signal it (to the judge reading any text,
/// and to a respondent reading a question), the phrases a respondent uses to express it, and the short
/// counter-value clauses a refiner adds to a question to set it against other values.
/// Phrases carry cues of their own value only, so the simulated judge can read them back (a test checks this).
/// </summary>
internal sealed record ValueCues
{
    public required string Code { get; init; }
    public required string Name { get; init; }

    /// <summary>Cue words and phrases ("enjoy*" is a stem), see <see cref="CuePattern"/>.</summary>
    public required IReadOnlyList<string> Cues { get; init; }

    /// <summary>Opinion points; "{ref}" is replaced by a mention of the question's context or removed.</summary>
    public required IReadOnlyList<string> Points { get; init; }

    /// <summary>Justifications following "point:"; same "{ref}" rule.</summary>
    public required IReadOnlyList<string> Justifications { get; init; }

    /// <summary>Counter-value clauses for refinement, e.g. "even if it limits personal freedom".</summary>
    public required IReadOnlyList<string> Clauses { get; init; }

    /// <summary>How much a generic, context-free question evokes this value for everyone (the "safe" values).</summary>
    public double Shared { get; init; }

    /// <summary>+1: the value favours restrictive proposals (ban, require); -1: permissive ones (allow, legalise); 0: neither.</summary>
    public int Lean { get; init; }
}
