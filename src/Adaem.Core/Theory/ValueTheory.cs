namespace Adaem.Core.Theory;

/// <summary>One value dimension of a theory, e.g. Schwartz's Self-Direction.</summary>
/// <param name="Code">Stable snake_case identifier used in config, store and files.</param>
/// <param name="Abbreviation">Short label for charts (SDI, POW, ...).</param>
/// <param name="Group">Code of the higher-order group the value belongs to, if the theory has groups.</param>
public sealed record ValueDimension(string Code, string Name, string Abbreviation, string Definition, string? Group)
{
    /// <summary>The value's name and definition in other languages (by BCP-47 tag), for a judge asked in that language.</summary>
    public IReadOnlyDictionary<string, TheoryText> Translations { get; init; } = new Dictionary<string, TheoryText>();
}

/// <summary>A name and a text (a value's definition, a theory's description) in one language; either may be missing.</summary>
public sealed record TheoryText(string? Name, string? Text);

/// <summary>A higher-order group of values and the group it stands against (e.g. Openness vs Conservation).</summary>
public sealed record ValueGroup(string Code, string Name, string? Opposes);

/// <summary>
/// A value theory as data. <see cref="Values"/> is in circumplex order where the theory has one,
/// which charts use as their axis order.
/// </summary>
public sealed record ValueTheory(
    string Code,
    string Name,
    string Description,
    IReadOnlyList<ValueDimension> Values,
    IReadOnlyList<ValueGroup> Groups
)
{
    public int Count => Values.Count;

    /// <summary>The theory's name and description in other languages (by BCP-47 tag).</summary>
    public IReadOnlyDictionary<string, TheoryText> Translations { get; init; } = new Dictionary<string, TheoryText>();

    /// <summary>For a theory in another language (<see cref="In"/>): the theory as written (English); null otherwise.</summary>
    public ValueTheory? Original { get; init; }

    /// <summary>
    /// The theory as a judge asked in <paramref name="language"/> reads it: names, definitions and description
    /// in that language where the theory file gives them, English where it does not (listed in
    /// <paramref name="missing"/> so the user can be told). English ("en") is the theory itself.
    /// </summary>
    public ValueTheory In(string language, out IReadOnlyList<string> missing)
    {
        var gaps = new List<string>();
        missing = gaps;
        if (string.Equals(language, "en", StringComparison.OrdinalIgnoreCase))
            return this;
        var theory = Translations.GetValueOrDefault(language);
        if (theory?.Name is null)
            gaps.Add("the theory's name");
        var values = Values
            .Select(v =>
            {
                var t = v.Translations.GetValueOrDefault(language);
                if (t?.Text is null)
                    gaps.Add($"the definition of {v.Code}");
                if (t?.Name is null)
                    gaps.Add($"the name of {v.Code}");
                return v with { Name = t?.Name ?? v.Name, Definition = t?.Text ?? v.Definition };
            })
            .ToList();
        return this with { Name = theory?.Name ?? Name, Description = theory?.Text ?? Description, Values = values, Original = this };
    }

    public ValueDimension this[string code] =>
        Values.FirstOrDefault(v => v.Code == code) ?? throw new KeyNotFoundException($"theory {Code} has no value '{code}'");

    public int IndexOf(string code)
    {
        for (var i = 0; i < Values.Count; i++)
            if (Values[i].Code == code)
                return i;
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
