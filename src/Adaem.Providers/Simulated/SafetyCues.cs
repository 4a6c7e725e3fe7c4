using Adaem.Core.Configuration;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated safety filter: a question is unsafe when it carries a cue of instructions for serious
/// harm (data/simulated/tables/safety.yaml, read once). Deliberately narrow, like a guard model: a question that
/// debates a hard topic (the death penalty, war, drugs policy) is safe; one that points at weapons, attacks or
/// abuse is not.
/// </summary>
internal static class SafetyCues
{
    private static readonly Lazy<CuePattern[]> Harm = new(
        () => SimulatedTables.Load("safety", (root, _) => Read(root)),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>Reads the table: 'harm', the list of harm cues.</summary>
    public static CuePattern[] Read(YamlSection root)
    {
        root.RejectUnknown(["harm"]);
        return [.. SimulatedTables.Strings(root, "harm").Select(c => new CuePattern(c))];
    }

    /// <summary>The first harm cue in the text, or null when it is safe.</summary>
    public static string? FindHarm(string text)
    {
        var words = CuePattern.Words(text);
        return Harm.Value.FirstOrDefault(p => p.CountIn(words) > 0)?.Cue.TrimEnd('*');
    }
}
