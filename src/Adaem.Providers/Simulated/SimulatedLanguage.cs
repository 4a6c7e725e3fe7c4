using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Adaem.Providers.Simulated;

/// <summary>The phrases of one value in a language: cues the judge reads, and the points and justifications a respondent writes.</summary>
internal sealed record ValueBank(IReadOnlyList<string> Cues, IReadOnlyList<string> Points, IReadOnlyList<string> Justifications);

/// <summary>
/// How the simulated pool writes in a language other than English (data/simulated/CODE.yaml, embedded): the
/// format words of each reply (stance line, key-points heading, the judge's yes and no, the safety verdict, the
/// reply tags), a few sentences of the explorer's reasoning, and a phrase bank per value aligned one for one with
/// the English banks, so a respondent picks the same values in every language. English needs no file here: its
/// banks are the tables of data/simulated/tables (see <see cref="SimulatedTables"/>).
/// </summary>
internal sealed class SimulatedLanguage
{
    public required string Code { get; init; }
    public required IReadOnlyList<string> Markers { get; init; }
    public required string Colon { get; init; }
    public required string StanceLabel { get; init; }
    public required string Heading { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Stances { get; init; }
    public required string PointSeparator { get; init; }
    public required string LineEnd { get; init; }
    public required string JudgeYes { get; init; }
    public required string JudgeNo { get; init; }
    public required string Safe { get; init; }

    /// <summary>The unsafe verdict with its reason; {harm} is the harm cue found.</summary>
    public required string Unsafe { get; init; }
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
    public required IReadOnlyDictionary<string, string> Explore { get; init; }
    public required IReadOnlyDictionary<string, string> Reflect { get; init; }
    public required IReadOnlyList<string> BlandPoints { get; init; }
    public required IReadOnlyList<string> BlandJustifications { get; init; }
    public required IReadOnlyDictionary<string, ValueBank> Values { get; init; }

    /// <summary>"[tag]：" in this language (tag is information, question, argument or suggestions).</summary>
    public string Tag(string tag) => $"[{Tags[tag]}]{Colon}";

    /// <summary>The stance word for yes, no or neutral; among several forms the question picks one, so parsers see them all.</summary>
    public string StanceWord(string stance, string question)
    {
        var forms = Stances[stance];
        return forms[(int)(StableRandom.Hash64("stance-form", question) % (ulong)forms.Count)];
    }

    /// <summary>A sentence of the explorer or reflection with its {names} filled.</summary>
    public static string Fill(string template, params (string Name, string Value)[] values)
    {
        var s = template;
        foreach (var (n, v) in values)
            s = s.Replace("{" + n + "}", v, StringComparison.Ordinal);
        return s;
    }

    public static SimulatedLanguage Parse(string yaml, string file)
    {
        var problems = new List<InputProblem>();
        var root = new YamlSection(YamlFile.LoadMapping(yaml, file), file, "", problems);
        string S(YamlSection s, string key) => s.RequiredString(key, $"add '{key}:'");
        IReadOnlyList<string> L(YamlSection s, string key) => s.List(key)?.Select(x => x.Value).ToList() ?? [];
        IReadOnlyDictionary<string, string> Map(string key) =>
            root.Section(key) is { } m
                ? m.Keys.ToDictionary(k => k, k => m.String(k) ?? "", StringComparer.Ordinal)
                : new Dictionary<string, string>();
        var stances = root.Section("stances");
        var judge = root.Section("judge");
        var safety = root.Section("safety");
        var bland = root.Section("bland");
        var values = new Dictionary<string, ValueBank>(StringComparer.Ordinal);
        if (root.Section("values") is { } vs)
        {
            foreach (var code in vs.Keys)
            {
                if (vs.Section(code) is not { } v)
                    continue;
                values[code] = new ValueBank(L(v, "cues"), L(v, "points"), L(v, "justifications"));
            }
        }
        var language = new SimulatedLanguage
        {
            Code = S(root, "code"),
            Markers = L(root, "markers"),
            Colon = root.String("colon") ?? ": ",
            StanceLabel = S(root, "stance_label"),
            Heading = S(root, "heading"),
            Stances = stances is null
                ? new Dictionary<string, IReadOnlyList<string>>()
                : stances.Keys.ToDictionary(k => k, k => L(stances, k), StringComparer.Ordinal),
            PointSeparator = S(root, "point_separator"),
            LineEnd = root.String("line_end") ?? "",
            JudgeYes = judge is null ? "" : S(judge, "yes"),
            JudgeNo = judge is null ? "" : S(judge, "no"),
            Safe = safety is null ? "" : S(safety, "safe"),
            Unsafe = safety is null ? "" : S(safety, "unsafe"),
            Tags = Map("tags"),
            Explore = Map("explore"),
            Reflect = Map("reflect"),
            BlandPoints = bland is null ? [] : L(bland, "points"),
            BlandJustifications = bland is null ? [] : L(bland, "justifications"),
            Values = values,
        };
        if (problems.Count > 0)
            throw new InputException(problems);
        return language;
    }
}

/// <summary>The simulated pool's languages, loaded once from the embedded data/simulated files.</summary>
internal static class SimulatedLanguages
{
    private static readonly Lazy<IReadOnlyDictionary<string, SimulatedLanguage>> All = new(
        Load,
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>The languages the pool writes besides English, by tag.</summary>
    public static IReadOnlyDictionary<string, SimulatedLanguage> Known => All.Value;

    /// <summary>
    /// The pool's writing in <paramref name="code"/>; null for English and for a language the pool has no file for
    /// (it then writes English).
    /// </summary>
    public static SimulatedLanguage? Get(string? code) => code is null ? null : All.Value.GetValueOrDefault(code);

    /// <summary>
    /// The language of a prompt that came without adaem's call context: the one whose template words it holds most
    /// (null, i.e. English, when it holds none).
    /// </summary>
    public static SimulatedLanguage? Detect(string text)
    {
        SimulatedLanguage? best = null;
        var bestCount = 0;
        foreach (var language in All.Value.Values.OrderBy(l => l.Code, StringComparer.Ordinal))
        {
            var count = language.Markers.Sum(m => Occurrences(text, m));
            if (count > bestCount)
                (best, bestCount) = (language, count);
        }
        return best;
    }

    private static int Occurrences(string text, string marker)
    {
        var n = 0;
        var i = text.IndexOf(marker, StringComparison.Ordinal);
        while (i >= 0)
        {
            n++;
            i = text.IndexOf(marker, i + marker.Length, StringComparison.Ordinal);
        }
        return n;
    }

    private static Dictionary<string, SimulatedLanguage> Load()
    {
        var assembly = typeof(SimulatedLanguages).Assembly;
        var result = new Dictionary<string, SimulatedLanguage>(StringComparer.Ordinal);
        // The languages are the files directly in data/simulated; its folder tables/ holds the English tables (SimulatedTables).
        var names = assembly
            .GetManifestResourceNames()
            .Where(n => n.StartsWith("simulated/", StringComparison.Ordinal))
            .Where(n => !n.StartsWith(SimulatedTables.Prefix, StringComparison.Ordinal));
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var language = SimulatedLanguage.Parse(reader.ReadToEnd(), $"<built-in {name}>");
            result[language.Code] = language;
        }
        return result;
    }

    /// <summary>A score as the reflection writes it.</summary>
    public static string Score(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);
}
