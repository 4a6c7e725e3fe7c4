using Adaem.Core.Configuration;
using Adaem.Core.Data;
using Adaem.Core.Errors;

namespace Adaem.Core.Generation;

/// <summary>
/// Where seed topics come from: the built-in set (data/seeds/builtin.jsonl, embedded), a Touché23-ValueEval
/// arguments TSV, or any JSONL/CSV/TSV with a `question` field (optional id, argument, category).
/// </summary>
public static class SeedSources
{
    public const string Builtin = "builtin";

    private static readonly string[] ToucheColumns = ["Argument ID", "Conclusion", "Stance", "Premise"];

    /// <summary>Loads <paramref name="spec"/>: "builtin" or a path relative to <paramref name="baseDirectory"/>.</summary>
    public static IReadOnlyList<Seed> Load(string spec, string baseDirectory)
    {
        if (spec == Builtin)
            return LoadBuiltin();
        var path = Path.IsPathRooted(spec) ? spec : Path.GetFullPath(Path.Combine(baseDirectory, spec));
        return LoadFile(path);
    }

    /// <summary>
    /// The seeds a config names (generation.seeds). A file that is not there is reported at the config's
    /// line that names it, since that line is what the user must fix.
    /// </summary>
    public static IReadOnlyList<Seed> ForConfig(AdaemConfig config)
    {
        var spec = config.Generation.Seeds;
        if (spec != Builtin && !File.Exists(config.Resolve(spec)))
            throw new InputException(
                config.Path,
                config.Generation.SeedsLine,
                $"generation.seeds names '{spec}', which is not a file (looked for {config.Resolve(spec)})",
                "correct the path (relative to the config's folder), or write 'seeds: builtin'"
            );
        return Load(spec, config.Directory);
    }

    public static IReadOnlyList<Seed> LoadBuiltin()
    {
        using var stream =
            typeof(SeedSources).Assembly.GetManifestResourceStream("seeds/builtin.jsonl")
            ?? throw new InvalidOperationException("the built-in seed set is missing from the assembly");
        using var reader = new StreamReader(stream);
        var rows = TabularFile.ReadJsonLines(reader.ReadToEnd(), "<built-in seeds/builtin.jsonl>");
        return FromQuestionRows(rows, "<built-in seeds/builtin.jsonl>", Builtin);
    }

    public static IReadOnlyList<Seed> LoadFile(string path)
    {
        var rows = TabularFile.Read(path);
        if (rows.Count == 0)
            throw new InputException(path, null, "the seed file has no rows", "add at least one seed question");
        var fields = rows[0].Fields.Keys.ToHashSet(StringComparer.Ordinal);
        if (ToucheColumns.All(fields.Contains))
            return FromToucheRows(rows, path);
        if (!fields.Contains("question"))
        {
            throw new InputException(
                path,
                rows[0].Line,
                "seed rows need a 'question' field (or the Touché23 columns Argument ID, Conclusion, Stance, Premise)",
                "add a 'question' column/field with one yes/no question per row"
            );
        }
        return FromQuestionRows(rows, path, Path.GetFileName(path));
    }

    /// <summary>Rows with a question (and optional id, argument, category). Ids default to "seed-LINE"; duplicates are errors.</summary>
    public static IReadOnlyList<Seed> FromQuestionRows(IReadOnlyList<TabularRow> rows, string path, string source)
    {
        var seeds = new List<Seed>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            row.RequireText(path, "question", "id", "argument", "category");
            var question = row.Get("question")?.Trim();
            if (string.IsNullOrEmpty(question))
                throw new InputException(path, row.Line, "the 'question' field is missing or empty", "give every row a yes/no question");
            var id = row.Get("id")?.Trim();
            if (string.IsNullOrEmpty(id))
                id = $"seed-{row.Line}";
            if (ids.TryGetValue(id, out var first))
                throw new InputException(
                    path,
                    row.Line,
                    $"seed id '{id}' is used twice (first on line {first})",
                    "give every seed its own id"
                );
            ids[id] = row.Line;
            // The same question twice would be two arms for one topic; keep the first.
            if (!texts.Add(NgramVectorizer.Normalize(question)))
                continue;
            seeds.Add(
                new Seed(id, question)
                {
                    Argument = Empty(row.Get("argument")),
                    Category = Empty(row.Get("category")),
                    Source = source,
                }
            );
        }
        return seeds;
    }

    /// <summary>
    /// Touché23-ValueEval arguments: many arguments share one conclusion, which is the general claim;
    /// each distinct conclusion becomes one seed (its first Argument ID is the seed id) and its question
    /// is made by the deterministic rule (a model may rephrase it later). Stance and premise are
    /// specific to one argument and do not belong to the general topic.
    /// </summary>
    public static IReadOnlyList<Seed> FromToucheRows(IReadOnlyList<TabularRow> rows, string path)
    {
        var seeds = new List<Seed>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var id = row.Get("Argument ID")?.Trim();
            var conclusion = row.Get("Conclusion")?.Trim();
            if (string.IsNullOrEmpty(id))
                throw new InputException(path, row.Line, "'Argument ID' is empty", "every argument row needs its id");
            if (string.IsNullOrEmpty(conclusion))
                throw new InputException(path, row.Line, "'Conclusion' is empty", "every argument row needs its conclusion");
            if (!ids.Add(id))
                throw new InputException(path, row.Line, $"Argument ID '{id}' appears twice", "remove the duplicate row");
            if (!seen.Add(NgramVectorizer.Normalize(conclusion)))
                continue;
            seeds.Add(
                new Seed(id, ArgumentQuestion.FromArgument(conclusion))
                {
                    Argument = conclusion,
                    Source = "touche23:" + Path.GetFileName(path),
                    QuestionByRule = true,
                }
            );
        }
        return seeds;
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
