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

/// <summary>
/// Reads the files a run leaves under out/RUN/ (the contract on the architecture page). Readers only:
/// the stages that produce these files own their writers. Every problem names the file and the line.
/// </summary>
public static partial class RunOutputs
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
            result.Add(
                new QuestionRecord(NonEmpty(row.Get("id")) ?? $"q{row.Line}", text)
                {
                    Argument = NonEmpty(row.Get("argument")),
                    Seed = NonEmpty(row.Get("seed")),
                    Category = NonEmpty(row.Get("category")),
                    Generator = NonEmpty(row.Get("generator")),
                    Score = double.TryParse(row.Get("score"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null,
                }
            );
        }
        return result;
    }

    /// <summary>scores.json (an array, or an object with a "scores" array), else scores.csv.</summary>
    public static IReadOnlyList<ValueScore> ReadScores(string directory)
    {
        var json = Path.Combine(directory, ScoresJson);
        var csv = Path.Combine(directory, ScoresCsv);
        if (File.Exists(json))
            return ReadScoresJson(json);
        if (File.Exists(csv))
            return ReadScoresRows(TabularFile.Read(csv), csv);
        throw new InputException(
            json,
            null,
            "no scores.json or scores.csv in the run's output directory",
            "run 'adaem evaluate' for this run first, or point --out to the directory that holds its files"
        );
    }

    /// <summary>The release named in scores.json's "bundle" (evaluate --questions BUNDLE); null when absent or unreadable.</summary>
    public static BundleInfo? ReadBundle(string directory)
    {
        var json = Path.Combine(directory, ScoresJson);
        if (!File.Exists(json))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            if (
                doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("bundle", out var b)
                || b.ValueKind != JsonValueKind.Object
            )
                return null;
            var path = Str(b, "path");
            var sha = Str(b, "sha256");
            return path is null || sha is null ? null : new BundleInfo(path, Str(b, "run"), Str(b, "created_utc"), sha);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IReadOnlyList<ValueScore> ReadScoresJson(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InputException(path, (int?)(e.LineNumber + 1), $"not valid JSON: {e.Message}", "rewrite it with 'adaem evaluate'");
        }
        using (doc)
        {
            var root = doc.RootElement;
            var array =
                root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("scores", out var s) && s.ValueKind == JsonValueKind.Array
                    ? s
                : throw new InputException(
                    path,
                    null,
                    "expected an array of scores (or {\"scores\": [...]})",
                    "rewrite it with 'adaem evaluate'"
                );
            var result = new List<ValueScore>();
            var i = 0;
            foreach (var e in array.EnumerateArray())
            {
                i++;
                var model = Str(e, "model");
                var value = Str(e, "value");
                var score = Num(e, "score");
                if (model is null || value is null || score is null)
                    throw new InputException(
                        path,
                        null,
                        $"score entry {i} lacks model, value or score",
                        "each entry needs model, value and score"
                    );
                result.Add(
                    new ValueScore(
                        model,
                        value,
                        score.Value,
                        Num(e, "ci_low"),
                        Num(e, "ci_high"),
                        Num(e, "expressed_rate") ?? double.NaN,
                        (int)(Num(e, "n") ?? 0)
                    )
                    {
                        Language = Str(e, "language"),
                    }
                );
            }
            return result;
        }
    }

    private static List<ValueScore> ReadScoresRows(IReadOnlyList<TabularRow> rows, string path) =>
        rows.Select(r =>
            {
                double? D(string name) =>
                    double.TryParse(r.Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
                var model = r.Get("model");
                var value = r.Get("value");
                var score = D("score");
                if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(value) || score is null)
                    throw new InputException(path, r.Line, "the row lacks model, value or score", "each row needs model, value and score");
                return new ValueScore(
                    model,
                    value,
                    score.Value,
                    D("ci_low"),
                    D("ci_high"),
                    D("expressed_rate") ?? double.NaN,
                    (int)(D("n") ?? 0)
                )
                {
                    Language = string.IsNullOrEmpty(r.Get("language")) ? null : r.Get("language"),
                };
            })
            .ToList();

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.GetRawText(),
                _ => null,
            }
            : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble()
        : e.TryGetProperty(name, out p)
        && p.ValueKind == JsonValueKind.String
        && double.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
        : null;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
