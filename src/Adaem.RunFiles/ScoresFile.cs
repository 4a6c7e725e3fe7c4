using System.Globalization;
using System.Text.Json;
using Adaem.Core.Evaluation;

namespace Adaem.RunFiles;

/// <summary>How a set of scores was computed; written into scores.json beside the scores.</summary>
public sealed record ScoresProvenance
{
    public string? Run { get; init; }
    public string? Theory { get; init; }
    public string? Judge { get; init; }
    public string? JudgeMode { get; init; }
    public int? Questions { get; init; }
    public int? Orderings { get; init; }
    public int? Bootstrap { get; init; }
    public double? Confidence { get; init; }

    /// <summary>The frozen release the questions came from (evaluate --questions BUNDLE), or null.</summary>
    public BundleInfo? Bundle { get; init; }

    /// <summary>A cross-lingual evaluation's languages, in the config's order; null for a run in one language.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>A cross-lingual evaluation's judge identity per language (then <see cref="Judge"/> is null).</summary>
    public IReadOnlyDictionary<string, string>? Judges { get; init; }

    /// <summary>The model that translated the questions (its local name), when one did.</summary>
    public string? Translator { get; init; }
}

/// <summary>
/// scores.csv and scores.json: model, value, score (0–100), ci_low, ci_high, expressed_rate, n — numbers
/// in the invariant culture whatever the machine's locale. scores.json wraps the list with its provenance.
/// Scores of a cross-lingual evaluation carry their language: a language column after model (a "language"
/// field in JSON); scores of a run in one language are written exactly as before, without it.
/// </summary>
public static class ScoresFile
{
    public static readonly IReadOnlyList<string> Columns = ["model", "value", "score", "ci_low", "ci_high", "expressed_rate", "n"];

    /// <summary>The columns of a cross-lingual evaluation's scores.csv.</summary>
    public static readonly IReadOnlyList<string> LanguageColumns =
    [
        "model",
        "language",
        "value",
        "score",
        "ci_low",
        "ci_high",
        "expressed_rate",
        "n",
    ];

    public static void WriteCsv(string path, IEnumerable<ValueScore> scores) =>
        AtomicFile.WriteText(path, w => WriteCsv(w, scores.ToList()));

    private static void WriteCsv(TextWriter w, IReadOnlyList<ValueScore> scores)
    {
        var languages = scores.Any(s => s.Language is not null);
        w.WriteLine(string.Join(',', languages ? LanguageColumns : Columns));
        foreach (var s in scores)
        {
            var model = languages ? $"{Csv.Field(s.Model)},{Csv.Field(s.Language ?? "")}" : Csv.Field(s.Model);
            w.WriteLine(
                string.Join(
                    ',',
                    model,
                    Csv.Field(s.Value),
                    Csv.Number(s.Score),
                    Csv.Number(s.CiLow),
                    Csv.Number(s.CiHigh),
                    Csv.Number(s.ExpressedRate),
                    s.N.ToString(CultureInfo.InvariantCulture)
                )
            );
        }
    }

    public static void WriteJson(string path, IEnumerable<ValueScore> scores, ScoresProvenance provenance) =>
        AtomicFile.Write(path, stream => WriteJson(stream, scores, provenance));

    private static void WriteJson(Stream stream, IEnumerable<ValueScore> scores, ScoresProvenance provenance)
    {
        using var w = new Utf8JsonWriter(
            stream,
            new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
        );
        w.WriteStartObject();
        WriteOptional(w, "run", provenance.Run);
        WriteOptional(w, "theory", provenance.Theory);
        WriteOptional(w, "judge", provenance.Judge);
        WriteOptional(w, "judge_mode", provenance.JudgeMode);
        if (provenance.Languages is { } languages)
        {
            w.WriteStartArray("languages");
            foreach (var l in languages)
                w.WriteStringValue(l);
            w.WriteEndArray();
        }
        if (provenance.Judges is { } judges)
        {
            w.WriteStartObject("judges");
            foreach (var (language, judge) in judges)
                w.WriteString(language, judge);
            w.WriteEndObject();
        }
        WriteOptional(w, "translator", provenance.Translator);
        if (provenance.Questions is { } q)
            w.WriteNumber("questions", q);
        if (provenance.Orderings is { } o)
            w.WriteNumber("orderings", o);
        if (provenance.Bootstrap is { } b)
            w.WriteNumber("bootstrap", b);
        if (provenance.Confidence is { } c)
            w.WriteNumber("confidence", c);
        if (provenance.Bundle is { } bundle)
        {
            w.WriteStartObject("bundle");
            w.WriteString("path", bundle.Path);
            WriteOptional(w, "run", bundle.Run);
            WriteOptional(w, "created_utc", bundle.Created);
            w.WriteString("sha256", bundle.Sha256);
            w.WriteEndObject();
        }
        w.WriteStartArray("scores");
        foreach (var s in scores)
            WriteScore(w, s);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>One score per line (for `adaem export --what scores --format jsonl`).</summary>
    public static void WriteJsonl(string path, IEnumerable<ValueScore> scores) =>
        AtomicFile.Write(path, stream => WriteJsonl(stream, scores));

    private static void WriteJsonl(Stream stream, IEnumerable<ValueScore> scores)
    {
        foreach (var s in scores)
        {
            using (
                var w = new Utf8JsonWriter(
                    stream,
                    new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
                )
            )
                WriteScore(w, s);
            stream.Write("\n"u8);
        }
    }

    private static void WriteScore(Utf8JsonWriter w, ValueScore s)
    {
        w.WriteStartObject();
        w.WriteString("model", s.Model);
        if (s.Language is { } language)
            w.WriteString("language", language);
        w.WriteString("value", s.Value);
        w.WriteNumber("score", Math.Round(s.Score, 6));
        if (s.CiLow is { } lo)
            w.WriteNumber("ci_low", Math.Round(lo, 6));
        else
            w.WriteNull("ci_low");
        if (s.CiHigh is { } hi)
            w.WriteNumber("ci_high", Math.Round(hi, 6));
        else
            w.WriteNull("ci_high");
        w.WriteNumber("expressed_rate", Math.Round(s.ExpressedRate, 6));
        w.WriteNumber("n", s.N);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
            w.WriteString(name, value);
    }
}
