using Adaem.Core.Configuration;
using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The cues and phrase banks for the values of one theory, and the reading of a text against them.
/// Built-in banks cover schwartz10 and mft5; a value of any other theory gets cues derived from its
/// name and definition, so a user theory still runs (with a cruder simulation).
/// </summary>
internal sealed class ValueLexicon
{
    private static readonly Lazy<(string[] Points, string[] Justifications)> BlandTable = new(
        () => SimulatedTables.Load("bland", (root, _) => ReadBland(root)),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    private static readonly Lazy<Dictionary<string, ValueCues>> BuiltIn = new(
        () => CueTable.Schwartz.Values.Concat(CueTable.MoralFoundations.Values).ToDictionary(c => c.Code, StringComparer.Ordinal),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>
    /// Points and justifications that express no value: the respondent's bland, non-committal noise
    /// (data/simulated/tables/bland.yaml).
    /// </summary>
    public static IReadOnlyList<string> BlandPoints => BlandTable.Value.Points;

    /// <inheritdoc cref="BlandPoints"/>
    public static IReadOnlyList<string> BlandJustifications => BlandTable.Value.Justifications;

    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "into",
        "one",
        "ones",
        "own",
        "of",
        "to",
        "in",
        "on",
        "or",
        "a",
        "an",
        "by",
        "people",
        "others",
        "other",
        "their",
        "them",
        "they",
        "is",
        "are",
        "be",
        "as",
        "at",
        "all",
        "who",
        "what",
        "being",
        "shown",
        "through",
        "against",
        "over",
        "social",
        "life",
        "oneself",
    };

    private readonly (string Code, CuePattern Pattern)[] _patterns;

    /// <param name="language">The language the respondents write in (null: English). Its banks replace the English
    /// phrases of the values they cover, and its cues join the English ones, so the judge reads both.</param>
    public ValueLexicon(IEnumerable<(string Code, string Name, string Definition)> values, SimulatedLanguage? language = null)
    {
        Values = values
            .Select(v => BuiltIn.Value.TryGetValue(v.Code, out var c) ? c with { Name = v.Name } : Derive(v.Code, v.Name, v.Definition))
            .Select(v => Localize(v, language))
            .ToList();
        ByCode = Values.ToDictionary(v => v.Code, StringComparer.Ordinal);
        _patterns = Values.SelectMany(v => v.Cues.Select(c => (v.Code, new CuePattern(c)))).ToArray();
        IsBuiltIn = Values.All(v => BuiltIn.Value.ContainsKey(v.Code));
        Language = language;
        Bland = language is { BlandPoints.Count: > 0, BlandJustifications.Count: > 0 } l
            ? (l.BlandPoints, l.BlandJustifications)
            : (BlandPoints, BlandJustifications);
    }

    public static ValueLexicon For(ValueTheory theory, SimulatedLanguage? language = null) =>
        new(theory.Values.Select(v => (v.Code, v.Name, v.Definition)), language);

    /// <summary>The language the phrases are written in; null for English.</summary>
    public SimulatedLanguage? Language { get; }

    /// <summary>The bland phrases in this lexicon's language.</summary>
    public (IReadOnlyList<string> Points, IReadOnlyList<string> Justifications) Bland { get; }

    private static ValueCues Localize(ValueCues cues, SimulatedLanguage? language) =>
        language is not null && language.Values.TryGetValue(cues.Code, out var bank)
            ? cues with
            {
                Cues = [.. cues.Cues, .. bank.Cues],
                Points = bank.Points,
                Justifications = bank.Justifications,
            }
            : cues;

    public IReadOnlyList<ValueCues> Values { get; }

    public IReadOnlyDictionary<string, ValueCues> ByCode { get; }

    /// <summary>True when every value has hand-written banks (schwartz10, mft5).</summary>
    public bool IsBuiltIn { get; }

    /// <summary>Cue counts per value code found in a text (values without cues are absent).</summary>
    public Dictionary<string, int> Read(string text) => Read(CuePattern.Words(text));

    public Dictionary<string, int> Read(IReadOnlyList<string> words)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (code, pattern) in _patterns)
        {
            var n = pattern.CountIn(words);
            if (n > 0)
                counts[code] = counts.GetValueOrDefault(code) + n;
        }
        return counts;
    }

    /// <summary>
    /// The values of this theory a bank context brings into play. Contexts are written in Schwartz codes;
    /// mft5 translates them, and a theory the project has no banks for gets every value (context stirs everything).
    /// </summary>
    public IEnumerable<string> EvokedBy(ContextEntry context)
    {
        var codes = new List<string>();
        foreach (var s in context.Evokes)
        {
            if (ByCode.ContainsKey(s))
                codes.Add(s);
            else if (CueTable.MoralFoundations.FromSchwartz.TryGetValue(s, out var mapped))
                codes.AddRange(mapped.Where(ByCode.ContainsKey));
        }
        return codes.Count > 0 || IsBuiltIn ? codes.Distinct(StringComparer.Ordinal) : Values.Select(v => v.Code);
    }

    /// <summary>Whether a text carries any cue of any value.</summary>
    public bool HasAnyCue(string text) => Read(text).Count > 0;

    /// <summary>Reads data/simulated/tables/bland.yaml: 'bland' with its points and justifications.</summary>
    public static (string[] Points, string[] Justifications) ReadBland(YamlSection root)
    {
        root.RejectUnknown(["bland"]);
        if (root.Section("bland") is not { } bland)
        {
            root.Problem(root.Line, "'bland' is missing", "add 'bland:' with points and justifications");
            return ([], []);
        }
        bland.RejectUnknown(["points", "justifications"]);
        return (SimulatedTables.Strings(bland, "points"), SimulatedTables.Strings(bland, "justifications"));
    }

    /// <summary>
    /// Banks for a value the project has none for: cues from the content words of its name and
    /// definition (as stems), phrases that name it plainly.
    /// </summary>
    private static ValueCues Derive(string code, string name, string definition)
    {
        static string Stem(string w) => w.Length > 6 ? w[..6] + "*" : w;
        var nameWords = CuePattern.Words(name).Where(w => !Stopwords.Contains(w)).ToList();
        var defWords = CuePattern.Words(definition).Where(w => w.Length >= 5 && !Stopwords.Contains(w));
        var cues = nameWords.Concat(defWords).Select(Stem).Distinct(StringComparer.Ordinal).ToList();
        if (cues.Count == 0)
            cues.Add(code.Replace('_', ' '));
        var lower = string.Join(' ', nameWords.DefaultIfEmpty(code.Replace('_', ' ')));
        var def = definition.TrimEnd('.');
        def = def.Length > 0 ? char.ToLowerInvariant(def[0]) + def[1..] : lower;
        return new ValueCues
        {
            Code = code,
            Name = name,
            Cues = cues,
            Points = [$"{name} is what matters here", $"It comes down to {lower}{{ref}}", $"This is a question of {lower}"],
            Justifications =
            [
                $"it bears on {def}",
                $"anything else{{ref}} would neglect {lower}",
                $"{lower} should weigh most in the decision",
            ],
            Clauses = [$"even at a cost to {lower}"],
        };
    }
}
