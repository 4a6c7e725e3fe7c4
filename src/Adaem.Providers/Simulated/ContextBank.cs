using Adaem.Core.Configuration;
using Adaem.Core.Errors;

namespace Adaem.Providers.Simulated;

/// <summary>
/// One piece of specific context an explorer can bring to a general question: a country, a group, a
/// year, a law or institution, a religion, a company. <see cref="Evokes"/> lists the Schwartz values the
/// context brings into play (for other theories see <see cref="CueTable.FromSchwartz"/>).
/// Facts are deliberately plain, widely known statements.
/// </summary>
/// <param name="Topics">
/// Words of general questions this context fits (cue syntax); null for countries and groups, which fit any topic.
/// </param>
internal sealed record ContextEntry(string Entity, string Category, string Fact, string Suffix, string[] Evokes, string[]? Topics = null)
{
    private readonly CuePattern[] _topics = (Topics ?? []).Select(t => new CuePattern(t)).ToArray();

    /// <summary>
    /// 1 for a context that fits any topic; for a narrow one (a law, a firm, a faith) high when the question is on its
    /// topics, low otherwise.
    /// </summary>
    public double Fit(IReadOnlyList<string> questionWords) =>
        _topics.Length == 0 ? 1.0
        : _topics.Any(t => t.CountIn(questionWords) > 0) ? 3.0
        : 0.02;
}

/// <summary>
/// The contexts the simulated explorers draw from, and the words that mark a question as specific
/// (data/simulated/tables/contexts.yaml, read once).
/// </summary>
internal static class ContextBank
{
    /// <summary>The categories a context may have.</summary>
    public static readonly IReadOnlyList<string> Categories = ["country", "group", "year", "law", "institution", "religion", "company"];

    private static readonly Lazy<(IReadOnlyList<ContextEntry> Entries, IReadOnlyList<string> Markers)> Table = new(
        () => SimulatedTables.Load("contexts", Read),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>The contexts, in the table's order.</summary>
    public static IReadOnlyList<ContextEntry> Entries => Table.Value.Entries;

    /// <summary>
    /// Words and phrases that make a question specific even when they are not in <see cref="Entries"/>:
    /// places, peoples, faiths, groups, institutions and firms. Matched like cues (see <see cref="CuePattern"/>),
    /// so only words that are unambiguous in lower case; acronyms such as WHO or UN count through the
    /// proper-noun rule of <see cref="QuestionReading"/> instead.
    /// </summary>
    public static IReadOnlyList<string> Markers => Table.Value.Markers;

    /// <summary>Reads the table: 'contexts' (a list) and 'markers' (lists by kind, joined in their order).</summary>
    public static (IReadOnlyList<ContextEntry> Entries, IReadOnlyList<string> Markers) Read(YamlSection root, List<InputProblem> problems)
    {
        root.RejectUnknown(["contexts", "markers"]);
        var entries = new List<ContextEntry>();
        var contexts = SimulatedTables.Mappings(root, "contexts", problems, "write each context as '- entity: ...' with its keys below it");
        foreach (var c in contexts)
        {
            c.RejectUnknown(["entity", "category", "fact", "suffix", "evokes", "topics"]);
            var category = c.RequiredString("category", $"add 'category:', one of {string.Join(", ", Categories)}");
            if (category.Length > 0 && !Categories.Contains(category))
                c.Problem(c.LineOf("category"), $"unknown category '{category}'", $"use one of {string.Join(", ", Categories)}");
            entries.Add(
                new ContextEntry(
                    c.RequiredString("entity", "add 'entity:', the context's name"),
                    category,
                    c.RequiredString("fact", "add 'fact:', a plain statement about the context"),
                    c.RequiredString("suffix", "add 'suffix:', how a question names it, e.g. 'in Japan'"),
                    SimulatedTables.Strings(c, "evokes"),
                    c.Has("topics") ? SimulatedTables.Strings(c, "topics") : null
                )
            );
        }
        var markers = new List<string>();
        if (root.Section("markers") is { } m)
        {
            foreach (var kind in m.Keys)
                markers.AddRange(SimulatedTables.Strings(m, kind));
        }
        else
        {
            root.Problem(
                root.LineOf("markers"),
                "'markers' is missing or empty",
                "list the marker words by kind, e.g. 'faiths: [catholic*, ...]'"
            );
        }
        return (entries, markers);
    }
}
