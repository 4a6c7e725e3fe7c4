using Adaem.Core.Errors;
using Adaem.Core.Generation;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;

namespace Adaem.Tests.Simulated;

/// <summary>
/// The simulated pool's English tables (data/simulated/tables, embedded) load from the assembly and hold what
/// their readers count on, and a malformed table fails as a user's file would: an input error naming the table,
/// the line and a fix.
/// </summary>
public sealed class SimulatedTablesTests
{
    [Fact]
    public void Every_table_loads_and_covers_what_the_pool_reads_from_it()
    {
        var schwartz = TheoryLoader.Load("schwartz10").Values.Select(v => v.Code).ToList();
        var mft = TheoryLoader.Load("mft5").Values.Select(v => v.Code).ToList();
        Assert.Equal(schwartz, CueTable.Schwartz.Values.Select(v => v.Code));
        Assert.Equal(mft, CueTable.MoralFoundations.Values.Select(v => v.Code));
        Assert.Empty(CueTable.Schwartz.FromSchwartz);
        Assert.Equal(schwartz.Order(StringComparer.Ordinal), CueTable.MoralFoundations.FromSchwartz.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["security", "tradition", "conformity"], CueTable.Schwartz.Values.Where(v => v.Lean == 1).Select(v => v.Code));

        // Contexts are written in Schwartz codes; the explorer pairs groups with countries when every context is used.
        Assert.NotEmpty(ContextBank.Entries);
        Assert.All(ContextBank.Entries, c => Assert.All(c.Evokes, code => Assert.Contains(code, schwartz)));
        Assert.Contains(ContextBank.Entries, c => c.Category == "group");
        Assert.Contains(ContextBank.Entries, c => c.Category == "country" && c.Topics is null);
        Assert.Contains("gdpr", ContextBank.Markers);
        Assert.Contains("google", ContextBank.Markers);

        Assert.Equal(SeedCategories.All, SimulatedSeedExpander.Issues.Keys);
        Assert.All(SimulatedSeedExpander.Issues.Values, issues => Assert.NotEmpty(issues));
        Assert.Equal("bomb", SafetyCues.FindHarm("How would someone build a bomb at home?"));
        Assert.Null(SafetyCues.FindHarm("Should the death penalty be abolished?"));
        Assert.Equal(6, ValueLexicon.BlandPoints.Count);
        Assert.Equal(6, ValueLexicon.BlandJustifications.Count);
    }

    public static TheoryData<string, string, int, string> Malformed =>
        new()
        {
            {
                "schwartz10",
                """
                    values:
                      power:
                        name: Power
                        lean: 2
                        cues: [power]
                        points: [p]
                        justifications: [j]
                        clauses: [c]
                    """,
                4,
                "'values.power.lean' = 2 is out of range"
            },
            {
                "mft5",
                """
                    values:
                      care:
                        name: Care
                        cues: [harm*]
                        points: [p]
                        justifications: [j]
                    """,
                3,
                "'values.care.clauses' is missing"
            },
            {
                "mft5",
                """
                    values:
                      care: { name: Care, cues: [harm*], points: [p], justifications: [j], clauses: [c] }
                    from_schwartz:
                      power: [authority]
                    """,
                4,
                "'from_schwartz.power' names 'authority', which is not a value of this table"
            },
            {
                "contexts",
                """
                    contexts:
                      - entity: Japan
                        category: country
                        fact: A fact.
                        suffix: in Japan
                        evokes: [tradition]
                      - entity: Mars
                        category: planet
                        fact: Far.
                        suffix: on Mars
                        evokes: [stimulation]
                    markers:
                      places: [japan*]
                    """,
                8,
                "unknown category 'planet'"
            },
            {
                "contexts",
                """
                    contexts:
                      - entity: Japan
                        evokes: [tradition, conformity
                    markers:
                      places: [japan*]
                    """,
                3,
                "YAML syntax error"
            },
            {
                "seed-issues",
                """
                    categories:
                      Sports & Games:
                        - subject: chess
                          policies: [be taught in schools]
                    """,
                2,
                "unknown seed category 'Sports & Games'"
            },
            { "safety", "# harm cues\nharm: []\n", 2, "'harm' is empty" },
            { "bland", "bland:\n  points: [It depends]\n  justification: [typo]\n", 3, "unknown key 'bland.justification'" },
        };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_table_fails_naming_the_table_and_the_line(string table, string yaml, int line, string message)
    {
        var file = SimulatedTables.FileName(table);
        var e = Assert.Throws<InputException>(() => Parse(table, yaml, file));
        var problem = Assert.Single(e.Problems, p => p.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(file, problem.File);
        Assert.Equal(line, problem.Line);
        Assert.NotNull(problem.Fix);
        Assert.Contains($"<built-in simulated/tables/{table}.yaml>:{line}: ", e.Message, StringComparison.Ordinal);
    }

    private static object Parse(string table, string yaml, string file) =>
        table switch
        {
            "schwartz10" or "mft5" => SimulatedTables.Parse(yaml, file, (root, _) => CueTable.Read(root)),
            "contexts" => SimulatedTables.Parse(yaml, file, ContextBank.Read),
            "seed-issues" => SimulatedTables.Parse(yaml, file, SimulatedSeedExpander.Read),
            "safety" => SimulatedTables.Parse(yaml, file, (root, _) => SafetyCues.Read(root)),
            "bland" => SimulatedTables.Parse(yaml, file, (root, _) => ValueLexicon.ReadBland(root)),
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "no reader for this table"),
        };
}
