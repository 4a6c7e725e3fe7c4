namespace Adaem.Providers.Simulated;

/// <summary>
/// A simulated model's latent value profile: priority per value code in [0, 1]. Values the config does
/// not name get <see cref="Unnamed"/>: the model rarely volunteers them but is not blind to them.
/// </summary>
internal sealed class ValueProfile(IReadOnlyDictionary<string, double>? priorities)
{
    public const double Unnamed = 0.1;

    /// <summary>Floor so that a value set to 0 can still surface through evocation and noise, never with weight exactly zero.</summary>
    private const double Floor = 0.01;

    public double this[string code] => Math.Max(Floor, priorities is not null && priorities.TryGetValue(code, out var p) ? p : Unnamed);

    /// <summary>This profile with <paramref name="amounts"/> added to the named values' priorities, each kept in [0, 1] (a simulated
    /// model's language_bias).</summary>
    public ValueProfile Moved(IReadOnlyDictionary<string, double> amounts)
    {
        var moved = new Dictionary<string, double>(priorities ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        foreach (var (code, amount) in amounts)
            moved[code] = Math.Clamp((moved.TryGetValue(code, out var p) ? p : Unnamed) + amount, 0, 1);
        return new ValueProfile(moved);
    }
}
