using System.Globalization;
using System.Text.Json;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;

namespace Adaem.RunFiles;

/// <summary>One line of responses.jsonl: a model's judged answer to a question.</summary>
public sealed record ResponseRecord(
    string QuestionId,
    string Model,
    int Sample,
    string Stance,
    IReadOnlyList<Opinion> Opinions,
    IReadOnlyList<IReadOnlySet<string>> ValuesPerOpinion
)
{
    public string? Failure { get; init; }

    /// <summary>The language the question was asked in (a cross-lingual evaluation); null for a run in one language.</summary>
    public string? Language { get; init; }

    public JudgedResponse ToJudged() =>
        new(
            QuestionId,
            Model,
            Sample,
            Failure is null ? new ParsedResponse(Stance, Opinions) : null,
            Failure is null ? ValuesPerOpinion : []
        )
        {
            Failure = Failure,
            Language = Language,
        };
}

/// <summary>
/// What one line of responses.jsonl adds to the aggregates, without the answer's text: the values it expressed
/// (the union over its key points; empty for a failed answer) and the line it is on.
/// </summary>
public sealed record ResponseTally(
    int Line,
    string QuestionId,
    string Model,
    string? Language,
    string? Failure,
    IReadOnlySet<string> Expressed
)
{
    public bool Failed => Failure is not null;
}

/// <summary>responses.jsonl: the whole file as records, the records of some lines, or a tally line by line without the texts.</summary>
public static partial class RunOutputs
{
    public static IReadOnlyList<ResponseRecord> ReadResponses(string path)
    {
        if (!File.Exists(path))
            throw new InputException(path, null, "file not found", "run 'adaem evaluate' first");
        var result = new List<ResponseRecord>();
        var samples = new Dictionary<(string, string, string?), int>();
        // A study of the paper's size has ~200,000 responses: one copy of each repeated id, name and label set, not one per line.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new LabelSets();
        foreach (var (lineNo, line) in Lines(path))
        {
            result.Add(
                ParseResponse(
                    path,
                    lineNo,
                    line,
                    names,
                    labels,
                    samples.GetValueOrDefault,
                    (key, sample) => samples[key] = Math.Max(samples.GetValueOrDefault(key), sample + 1)
                )
            );
        }
        return result;
    }

    /// <summary>
    /// The full records of the given lines of responses.jsonl only (the report's key points of the questions it shows),
    /// by line number; the other lines are read but not parsed. A line without "sample" gets sample 0 here: numbering
    /// repeated answers needs every earlier line.
    /// </summary>
    public static IReadOnlyDictionary<int, ResponseRecord> ReadResponseLines(string path, IReadOnlySet<int> lines)
    {
        if (!File.Exists(path))
            throw new InputException(path, null, "file not found", "run 'adaem evaluate' first");
        var result = new Dictionary<int, ResponseRecord>();
        if (lines.Count == 0)
            return result;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new LabelSets();
        var last = lines.Max();
        foreach (var (lineNo, raw) in JsonLines.Read(path))
        {
            if (lineNo > last)
                break;
            if (!lines.Contains(lineNo))
                continue;
            var line = JsonLines.Trimmed(raw);
            if (line.Length > 0)
                result[lineNo] = ParseResponse(path, lineNo, line, names, labels, _ => 0, (_, _) => { });
        }
        return result;
    }

    /// <summary>
    /// responses.jsonl one line at a time, keeping nothing: per line the question, the model, the language, the failure and
    /// the values the answer expressed (the union over its key points, as <see cref="JudgedResponse.Expressed"/>), without
    /// its text. For aggregates over a file too large to hold. Every line is checked as <see cref="ReadResponses"/> checks it.
    /// </summary>
    public static IEnumerable<ResponseTally> TallyResponses(string path)
    {
        if (!File.Exists(path))
            throw new InputException(path, null, "file not found", "run 'adaem evaluate' first");
        return Tally(path);
    }

    private static IEnumerable<ResponseTally> Tally(string path)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var sets = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var codes = new List<string>();
        foreach (var (lineNo, line) in Lines(path))
        {
            using var doc = Parse(path, lineNo, line);
            var r = doc.RootElement;
            var (q, model, language) = Keys(path, lineNo, r, names);
            var failure = Str(r, "failure") ?? Str(r, "error");
            codes.Clear();
            if (failure is null)
                ExpressedCodes(r, codes);
            yield return new ResponseTally(lineNo, q, model, language, failure, SharedSet(sets, codes));
        }
    }

    private static readonly IReadOnlySet<string> NoCodes = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// One shared set per combination of codes, as <see cref="LabelSets"/> gives, found by the codes sorted without repeats:
    /// a line whose combination was seen before builds no set.
    /// </summary>
    private static IReadOnlySet<string> SharedSet(Dictionary<string, IReadOnlySet<string>> sets, List<string> codes)
    {
        if (codes.Count == 0)
            return NoCodes;
        codes.Sort(StringComparer.Ordinal);
        var n = 1;
        for (var i = 1; i < codes.Count; i++)
            if (!string.Equals(codes[i], codes[n - 1], StringComparison.Ordinal))
                codes[n++] = codes[i];
        codes.RemoveRange(n, codes.Count - n);
        var key = n == 1 ? codes[0] : string.Join('\u001f', codes);
        if (!sets.TryGetValue(key, out var set))
            sets[key] = set = new HashSet<string>(codes, StringComparer.Ordinal);
        return set;
    }

    /// <summary>The non-blank lines, trimmed, as UTF-8, with their 1-based numbers (each valid until the next is read).</summary>
    private static IEnumerable<(int Line, ReadOnlyMemory<byte> Text)> Lines(string path)
    {
        foreach (var (lineNo, raw) in JsonLines.Read(path))
        {
            var line = JsonLines.Trimmed(raw);
            if (line.Length > 0)
                yield return (lineNo, line);
        }
    }

    private static JsonDocument Parse(string path, int lineNo, ReadOnlyMemory<byte> line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new InputException(path, lineNo, $"not valid JSON: {e.Message}", "each line must be one JSON object");
        }
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
            return doc;
        doc.Dispose();
        throw new InputException(path, lineNo, "each line must be a JSON object");
    }

    /// <summary>question_id, model and language of a line, each one shared copy per distinct string.</summary>
    private static (string Question, string Model, string? Language) Keys(
        string path,
        int lineNo,
        JsonElement r,
        Dictionary<string, string> names
    )
    {
        string Shared(string s) => names.TryGetValue(s, out var one) ? one : names[s] = s;
        var q = Shared(
            Str(r, "question_id") ?? throw new InputException(path, lineNo, "no 'question_id'", "each response names its question")
        );
        var model = Shared(Str(r, "model") ?? throw new InputException(path, lineNo, "no 'model'", "each response names its model"));
        var language = Str(r, "language") is { } l ? Shared(l) : null;
        return (q, model, language);
    }

    private static ResponseRecord ParseResponse(
        string path,
        int lineNo,
        ReadOnlyMemory<byte> line,
        Dictionary<string, string> names,
        LabelSets labels,
        Func<(string, string, string?), int> nextSample,
        Action<(string, string, string?), int> seen
    )
    {
        using var doc = Parse(path, lineNo, line);
        var r = doc.RootElement;
        var (q, model, language) = Keys(path, lineNo, r, names);
        var key = (q, model, language);
        var sample = r.TryGetProperty("sample", out var sp) && sp.ValueKind == JsonValueKind.Number ? sp.GetInt32() : nextSample(key);
        seen(key, sample);
        var opinions = ReadOpinions(r);
        var values = ReadValues(r, opinions).Select(labels.Of).ToList();
        var failure = Str(r, "failure") ?? Str(r, "error");
        var stance = (Str(r, "stance") ?? "").Trim().ToLowerInvariant();
        return new ResponseRecord(q, model, sample, names.TryGetValue(stance, out var one) ? one : names[stance] = stance, opinions, values)
        {
            Failure = failure,
            Language = language,
        };
    }

    /// <summary>
    /// Every value code a line's "values" marks true, whichever key point it is filed under: the same labels
    /// <see cref="ReadValues"/> deals out to the key points, without matching them to the key points' texts.
    /// </summary>
    private static void ExpressedCodes(JsonElement r, List<string> codes)
    {
        if (!r.TryGetProperty("values", out var values))
            return;
        if (values.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in values.EnumerateObject())
                Labels(entry.Value, codes);
        }
        else if (values.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in values.EnumerateArray())
                Labels(entry, codes);
        }
    }

    /// <summary>The codes one key point's labels mark true: a {value → bool} map or a list of codes.</summary>
    private static void Labels(JsonElement labels, List<string> codes)
    {
        if (labels.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in labels.EnumerateObject())
                if (IsTrue(p.Value))
                    codes.Add(p.Name);
        }
        else if (labels.ValueKind == JsonValueKind.Array)
        {
            foreach (var v in labels.EnumerateArray())
                if (v.ValueKind == JsonValueKind.String)
                    codes.Add(v.GetString()!);
        }
    }

    private static List<Opinion> ReadOpinions(JsonElement r)
    {
        var list = new List<Opinion>();
        if (!r.TryGetProperty("opinions", out var ops) || ops.ValueKind != JsonValueKind.Array)
            return list;
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
        if (!r.TryGetProperty("values", out var values))
            return sets;
        var entries = new List<(string? Key, JsonElement Labels)>();
        if (values.ValueKind == JsonValueKind.Object)
            entries.AddRange(values.EnumerateObject().Select(p => ((string?)p.Name, p.Value)));
        else if (values.ValueKind == JsonValueKind.Array)
            entries.AddRange(values.EnumerateArray().Select(e => ((string?)null, e)));
        var zeroBased = entries.Any(e => e.Key == "0");
        for (var i = 0; i < entries.Count; i++)
        {
            var (k, labels) = entries[i];
            var index = -1;
            if (k is not null)
            {
                index = opinions.FindIndex(o => o.Text == k || o.Point == k);
                if (index < 0 && int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                    index = zeroBased ? n : n - 1;
            }
            if (index < 0 || index >= opinions.Count)
                index = i;
            while (sets.Count <= index)
                sets.Add(new HashSet<string>(StringComparer.Ordinal));
            var set = (HashSet<string>)sets[index];
            if (labels.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in labels.EnumerateObject())
                    if (IsTrue(p.Value))
                        set.Add(p.Name);
            }
            else if (labels.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in labels.EnumerateArray())
                    if (v.ValueKind == JsonValueKind.String)
                        set.Add(v.GetString()!);
            }
        }
        return sets;
    }

    private static bool IsTrue(JsonElement e) =>
        e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => e.GetDouble() > 0,
            JsonValueKind.String => e.GetString()?.Trim().ToLowerInvariant() is "true" or "yes" or "1",
            _ => false,
        };
}
