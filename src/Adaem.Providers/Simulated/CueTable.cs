using Adaem.Core.Configuration;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The English cue words and phrase banks of a built-in theory (data/simulated/tables/schwartz10.yaml, mft5.yaml):
/// per value its <see cref="ValueCues"/>, and for mft5 how a context written in Schwartz codes evokes its foundations.
/// </summary>
/// <param name="FromSchwartz">
/// Per Schwartz value, the values of this theory a context evoking it brings into play (empty for schwartz10).
/// </param>
internal sealed record CueTable(IReadOnlyList<ValueCues> Values, IReadOnlyDictionary<string, string[]> FromSchwartz)
{
    private static readonly Lazy<CueTable> SchwartzTable = new(
        () => SimulatedTables.Load("schwartz10", (root, _) => Read(root)),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    private static readonly Lazy<CueTable> MoralFoundationsTable = new(
        () => SimulatedTables.Load("mft5", (root, _) => Read(root)),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>Schwartz's ten basic values (schwartz10).</summary>
    public static CueTable Schwartz => SchwartzTable.Value;

    /// <summary>The five moral foundations (mft5).</summary>
    public static CueTable MoralFoundations => MoralFoundationsTable.Value;

    /// <summary>Reads a table: 'values' (a mapping by value code) and, optionally, 'from_schwartz'.</summary>
    public static CueTable Read(YamlSection root)
    {
        root.RejectUnknown(["values", "from_schwartz"]);
        var values = new List<ValueCues>();
        if (root.Section("values") is { } vs)
        {
            foreach (var code in vs.Keys)
            {
                if (vs.Section(code) is not { } v)
                    continue;
                v.RejectUnknown(["name", "lean", "shared", "cues", "points", "justifications", "clauses"]);
                values.Add(
                    new ValueCues
                    {
                        Code = code,
                        Name = v.RequiredString("name", "add the value's display name, e.g. 'name: Self-Direction'"),
                        Lean = v.Int("lean", -1, 1) ?? 0,
                        Shared = v.Double("shared", 0, 1) ?? 0,
                        Cues = SimulatedTables.Strings(v, "cues"),
                        Points = SimulatedTables.Strings(v, "points"),
                        Justifications = SimulatedTables.Strings(v, "justifications"),
                        Clauses = SimulatedTables.Strings(v, "clauses"),
                    }
                );
            }
        }
        else
        {
            root.Problem(
                root.LineOf("values"),
                "'values' is missing or empty",
                "list the values by code, each with name, cues, points, justifications and clauses"
            );
        }
        var fromSchwartz = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.Section("from_schwartz") is { } map)
        {
            foreach (var schwartz in map.Keys)
            {
                var codes = SimulatedTables.Strings(map, schwartz, mayBeEmpty: true);
                foreach (var unknown in codes.Where(c => values.All(v => v.Code != c)))
                    map.Problem(
                        map.LineOf(schwartz),
                        $"'{map.Qualified(schwartz)}' names '{unknown}', which is not a value of this table",
                        $"use one of {string.Join(", ", values.Select(v => v.Code))}"
                    );
                fromSchwartz[schwartz] = codes;
            }
        }
        return new CueTable(values, fromSchwartz);
    }
}
