namespace Adaem.Core.Theory;

/// <summary>One value dimension of a theory, e.g. Schwartz's Self-Direction.</summary>
/// <param name="Code">Stable snake_case identifier used in config, store and files.</param>
/// <param name="Abbreviation">Short label for charts (SDI, POW, ...).</param>
/// <param name="Group">Code of the higher-order group the value belongs to, if the theory has groups.</param>
public sealed record ValueDimension(string Code, string Name, string Abbreviation, string Definition, string? Group);

/// <summary>A higher-order group of values and the group it stands against (e.g. Openness vs Conservation).</summary>
public sealed record ValueGroup(string Code, string Name, string? Opposes);

/// <summary>
/// A value theory as data. <see cref="Values"/> is in circumplex order where the theory has one,
/// which charts use as their axis order.
/// </summary>
public sealed record ValueTheory(string Code, string Name, string Description, IReadOnlyList<ValueDimension> Values, IReadOnlyList<ValueGroup> Groups)
{
    public int Count => Values.Count;

    public ValueDimension this[string code] =>
        Values.FirstOrDefault(v => v.Code == code) ?? throw new KeyNotFoundException($"theory {Code} has no value '{code}'");

    public int IndexOf(string code)
    {
        for (var i = 0; i < Values.Count; i++) if (Values[i].Code == code) return i;
        return -1;
    }

    /// <summary>Values sharing the higher-order group of <paramref name="code"/>, excluding it.</summary>
    public IEnumerable<ValueDimension> SameGroup(string code)
    {
        var g = this[code].Group;
        return g is null ? [] : Values.Where(v => v.Group == g && v.Code != code);
    }

    /// <summary>Values in the group that opposes the group of <paramref name="code"/>.</summary>
    public IEnumerable<ValueDimension> OppositeGroup(string code)
    {
        var g = Groups.FirstOrDefault(x => x.Code == this[code].Group);
        return g?.Opposes is null ? [] : Values.Where(v => v.Group == g.Opposes);
    }
}
