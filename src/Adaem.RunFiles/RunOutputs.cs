using System.Globalization;
using System.Text.Json;
using Adaem.Core.Data;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;

namespace Adaem.RunFiles;

/// <summary>One line of questions.jsonl (the benchmark format).</summary>
public sealed record QuestionRecord(string Id, string Question)
{
    public string? Argument { get; init; }
    public string? Seed { get; init; }
    public string? Category { get; init; }
    public string? Generator { get; init; }
    public double? Score { get; init; }
}

/// <summary>One line of responses.jsonl: a model's judged answer to a question.</summary>
public sealed record ResponseRecord(string QuestionId, string Model, int Sample, string Stance, IReadOnlyList<Opinion> Opinions,
    IReadOnlyList<IReadOnlySet<string>> ValuesPerOpinion)
{
    public string? Failure { get; init; }

    /// <summary>The language the question was asked in (a cross-lingual evaluation); null for a run in one language.</summary>
    public string? Language { get; init; }

    public JudgedResponse ToJudged() => new(QuestionId, Model, Sample, Failure is null ? new ParsedResponse(Stance, Opinions) : null,
        Failure is null ? ValuesPerOpinion : []) { Failure = Failure, Language = Language };
}

/// <summary>
/// Reads the files a run leaves under out/RUN/ (the contract on the architecture page). Readers only:
/// the stages that produce these files own their writers. Every problem names the file and the line.
/// </summary>
public static class RunOutputs
{
    public const string Questions = "questions.jsonl";
    public const string Responses = "responses.jsonl";
    public const string ScoresJson = "scores.json";
    public const string ScoresCsv = "scores.csv";

    public static IReadOnlyList<QuestionRecord> ReadQuestions(string path)
    {
        var rows = TabularFile.Read(path);
        var result = new List<QuestionRecord>();
        foreach (var row in rows)
        {
            var text = row.Get("question");
            if (string.IsNullOrWhiteSpace(text))
                throw new InputException(path, row.Line, "no 'question' field", "every line needs a non-empty \"question\"");
            result.Add(new QuestionRecord(NonEmpty(row.Get("id")) ?? $"q{row.Line}", text)
            {
                Argument = NonEmpty(row.Get("argument")),
                Seed = NonEmpty(row.Get("seed")),
                Category = NonEmpty(row.Get("category")),
                Generator = NonEmpty(row.Get("generator")),
                Score = double.TryParse(row.Get("score"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null,
            });
        }
        return result;
    }

    public static IReadOnlyList<ResponseRecord> ReadResponses(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, null, "file not found", "run 'adaem evaluate' first");
        var result = new List<ResponseRecord>();
        var samples = new Dictionary<(string, string, string?), int>();
        // A study of the paper's size has ~200,000 responses: one copy of each repeated id, name and label set, not one per line.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Shared(string s) => names.TryGetValue(s, out var one) ? one : names[s] = s;
        var labels = new LabelSets();
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                if (r.ValueKind != JsonValueKind.Object) throw new InputException(path, lineNo, "each line must be a JSON object");
                var q = Shared(Str(r, "question_id") ?? throw new InputException(path, lineNo, "no 'question_id'", "each response names its question"));
                var model = Shared(Str(r, "model") ?? throw new InputException(path, lineNo, "no 'model'", "each response names its model"));
                var language = Str(r, "language") is { } l ? Shared(l) : null;
                var key = (q, model, language);
                var sample = r.TryGetProperty("sample", out var sp) && sp.ValueKind == JsonValueKind.Number ? sp.GetInt32() : samples.GetValueOrDefault(key);
                samples[key] = Math.Max(samples.GetValueOrDefault(key), sample + 1);
                var opinions = ReadOpinions(r);
                var values = ReadValues(r, opinions).Select(labels.Of).ToList();
                var failure = Str(r, "failure") ?? Str(r, "error");
                result.Add(new ResponseRecord(q, model, sample, Shared((Str(r, "stance") ?? "").Trim().ToLowerInvariant()), opinions, values)
                {
                    Failure = failure,
                    Language = language,
                });
            }
            catch (JsonException e)
            {
                throw new InputException(path, lineNo, $"not valid JSON: {e.Message}", "each line must be one JSON object");
            }
        }
        return result;
    }

    private static List<Opinion> ReadOpinions(JsonElement r)
    {
        var list = new List<Opinion>();
        if (!r.TryGetProperty("opinions", out var ops) || ops.ValueKind != JsonValueKind.Array) return list;
        foreach (var o in ops.EnumerateArray())
        {
            if (o.ValueKind == JsonValueKind.String)
            {
                var s = o.GetString() ?? "";
                var colon = s.IndexOf(':');
                list.Add(colon > 0 ? new Opinion(s[..colon].Trim(), s[(colon + 1)..].Trim()) : new Opinion(s.Trim(), ""));
            }
            else if (o.ValueKind == JsonValueKind.Object)
            {
                list.Add(new Opinion(Str(o, "point") ?? Str(o, "text") ?? "", Str(o, "justification") ?? ""));
            }
        }
        return list;
    }

    /// <summary>
    /// values: {opinion → {value → bool}}. The opinion key is matched to the opinions by text first, then by
    /// index (0- or 1-based), then by position, so small differences between writers do not lose labels.
    /// Arrays (one entry per opinion, each a {value → bool} map or a list of value codes) are accepted too.
    /// </summary>
    private static List<IReadOnlySet<string>> ReadValues(JsonElement r, List<Opinion> opinions)
    {
        var sets = opinions.Select(_ => (IReadOnlySet<string>)new HashSet<string>(StringComparer.Ordinal)).ToList();
        if (!r.TryGetProperty("values", out var values)) return sets;
        var entries = new List<(string? Key, JsonElement Labels)>();
        if (values.ValueKind == JsonValueKind.Object) entries.AddRange(values.EnumerateObject().Select(p => ((string?)p.Name, p.Value)));
        else if (values.ValueKind == JsonValueKind.Array) entries.AddRange(values.EnumerateArray().Select(e => ((string?)null, e)));
        var zeroBased = entries.Any(e => e.Key == "0");
        for (var i = 0; i < entries.Count; i++)
        {
            var (k, labels) = entries[i];
            var index = -1;
            if (k is not null)
            {
                index = opinions.FindIndex(o => o.Text == k || o.Point == k);
                if (index < 0 && int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) index = zeroBased ? n : n - 1;
            }
            if (index < 0 || index >= opinions.Count) index = i;
            while (sets.Count <= index) sets.Add(new HashSet<string>(StringComparer.Ordinal));
            var set = (HashSet<string>)sets[index];
            if (labels.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in labels.EnumerateObject()) if (IsTrue(p.Value)) set.Add(p.Name);
            }
            else if (labels.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in labels.EnumerateArray()) if (v.ValueKind == JsonValueKind.String) set.Add(v.GetString()!);
            }
        }
        return sets;
    }

    private static bool IsTrue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => e.GetDouble() > 0,
        JsonValueKind.String => e.GetString()?.Trim().ToLowerInvariant() is "true" or "yes" or "1",
        _ => false,
    };

    /// <summary>scores.json (an array, or an object with a "scores" array), else scores.csv.</summary>
    public static IReadOnlyList<ValueScore> ReadScores(string directory)
    {
        var json = Path.Combine(directory, ScoresJson);
        var csv = Path.Combine(directory, ScoresCsv);
        if (File.Exists(json)) return ReadScoresJson(json);
        if (File.Exists(csv)) return ReadScoresRows(TabularFile.Read(csv), csv);
        throw new InputException(json, null, "no scores.json or scores.csv in the run's output directory",
            "run 'adaem evaluate' for this run first, or point --out to the directory that holds its files");
    }

    /// <summary>The release named in scores.json's "bundle" (evaluate --questions BUNDLE); null when absent or unreadable.</summary>
    public static BundleInfo? ReadBundle(string directory)
    {
        var json = Path.Combine(directory, ScoresJson);
        if (!File.Exists(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("bundle", out var b) || b.ValueKind != JsonValueKind.Object) return null;
            var path = Str(b, "path"); var sha = Str(b, "sha256");
            return path is null || sha is null ? null : new BundleInfo(path, Str(b, "run"), Str(b, "created_utc"), sha);
        }
        catch (JsonException) { return null; }
    }

    public static IReadOnlyList<ValueScore> ReadScoresJson(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InputException(path, (int?)(e.LineNumber + 1), $"not valid JSON: {e.Message}", "rewrite it with 'adaem evaluate'"); }
        using (doc)
        {
            var root = doc.RootElement;
            var array = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("scores", out var s) && s.ValueKind == JsonValueKind.Array ? s
                : throw new InputException(path, null, "expected an array of scores (or {\"scores\": [...]})", "rewrite it with 'adaem evaluate'");
            var result = new List<ValueScore>();
            var i = 0;
            foreach (var e in array.EnumerateArray())
            {
                i++;
                var model = Str(e, "model"); var value = Str(e, "value");
                var score = Num(e, "score");
                if (model is null || value is null || score is null)
                    throw new InputException(path, null, $"score entry {i} lacks model, value or score", "each entry needs model, value and score");
                result.Add(new ValueScore(model, value, score.Value, Num(e, "ci_low"), Num(e, "ci_high"), Num(e, "expressed_rate") ?? double.NaN, (int)(Num(e, "n") ?? 0))
                {
                    Language = Str(e, "language"),
                });
            }
            return result;
        }
    }

    private static List<ValueScore> ReadScoresRows(IReadOnlyList<TabularRow> rows, string path) => rows.Select(r =>
    {
        double? D(string name) => double.TryParse(r.Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
        var model = r.Get("model"); var value = r.Get("value"); var score = D("score");
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(value) || score is null)
            throw new InputException(path, r.Line, "the row lacks model, value or score", "each row needs model, value and score");
        return new ValueScore(model, value, score.Value, D("ci_low"), D("ci_high"), D("expressed_rate") ?? double.NaN, (int)(D("n") ?? 0))
        {
            Language = string.IsNullOrEmpty(r.Get("language")) ? null : r.Get("language"),
        };
    }).ToList();

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) ? p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            _ => null,
        } : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble()
        : e.TryGetProperty(name, out p) && p.ValueKind == JsonValueKind.String && double.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : null;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
