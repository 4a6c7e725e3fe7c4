using System.Globalization;
using System.Text.Json;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.RunFiles;

/// <summary>
/// responses.jsonl: one judged answer a line — question_id, model, sample, stance, opinions[] and
/// values{opinion → value → bool} over every value of the theory. A failed answer keeps its line with
/// "failure" set and empty opinions, so failures stay visible next to the answers. An answer of a
/// cross-lingual evaluation also names its language ("language", after "model"; question_id is the source
/// question's id); answers of a run in one language are written exactly as before.
/// </summary>
public static class ResponsesFile
{
    public static void WriteJsonl(string path, IEnumerable<JudgedResponse> responses, ValueTheory theory) =>
        AtomicFile.Write(path, stream => WriteJsonl(stream, responses, theory));

    private static void WriteJsonl(Stream stream, IEnumerable<JudgedResponse> responses, ValueTheory theory)
    {
        var newline = "\n"u8.ToArray();
        foreach (var r in responses)
        {
            using (
                var w = new Utf8JsonWriter(
                    stream,
                    new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
                )
            )
            {
                w.WriteStartObject();
                w.WriteString("question_id", r.QuestionId);
                w.WriteString("model", r.Model);
                if (r.Language is { } language)
                    w.WriteString("language", language);
                w.WriteNumber("sample", r.Sample);
                if (r.Response is null)
                    w.WriteNull("stance");
                else
                    w.WriteString("stance", r.Response.Stance);
                w.WriteStartArray("opinions");
                if (!r.Failed && r.Response is not null)
                    foreach (var o in r.Response.Opinions)
                        w.WriteStringValue(o.Text);
                w.WriteEndArray();
                w.WriteStartObject("values");
                if (!r.Failed && r.Response is not null)
                {
                    foreach (var (text, labels) in Labelled(r))
                    {
                        w.WriteStartObject(text);
                        foreach (var v in theory.Values)
                            w.WriteBoolean(v.Code, labels.Contains(v.Code));
                        w.WriteEndObject();
                    }
                }
                w.WriteEndObject();
                if (r.Failure is not null)
                    w.WriteString("failure", r.Failure);
                w.WriteEndObject();
            }
            stream.Write(newline);
        }
    }

    /// <summary>A flat table for spreadsheets: one row per opinion (or one row for a failed answer).</summary>
    public static void WriteCsv(string path, IEnumerable<JudgedResponse> responses, ValueTheory theory) =>
        AtomicFile.WriteText(path, w => WriteCsv(w, responses.ToList(), theory));

    /// <summary>The columns before one column per value (and the failure column) in responses.csv.</summary>
    private static readonly string[] CsvLeadingColumns = ["question_id", "model", "sample", "stance", "opinion_index", "opinion"];

    /// <summary>The same for a cross-lingual evaluation's answers: the language after the model.</summary>
    private static readonly string[] CsvLeadingLanguageColumns =
    [
        "question_id",
        "model",
        "language",
        "sample",
        "stance",
        "opinion_index",
        "opinion",
    ];

    private static void WriteCsv(TextWriter w, IReadOnlyList<JudgedResponse> responses, ValueTheory theory)
    {
        var languages = responses.Any(r => r.Language is not null);
        var leading = languages ? CsvLeadingLanguageColumns : CsvLeadingColumns;
        w.WriteLine(string.Join(',', leading.Concat(theory.Values.Select(v => v.Code)).Append("failure")));
        foreach (var r in responses)
        {
            var model = languages ? $"{Csv.Field(r.Model)},{Csv.Field(r.Language ?? "")}" : Csv.Field(r.Model);
            var head =
                $"{Csv.Field(r.QuestionId)},{model},{r.Sample.ToString(CultureInfo.InvariantCulture)},{Csv.Field(r.Response?.Stance ?? "")}";
            if (r.Failed || r.Response is null)
            {
                w.WriteLine($"{head},,{string.Concat(Enumerable.Repeat(",", theory.Count))}{Csv.Field(r.Failure ?? "")}");
                continue;
            }
            for (var i = 0; i < r.Response.Opinions.Count; i++)
            {
                var labels = i < r.ValuesPerOpinion.Count ? r.ValuesPerOpinion[i] : new HashSet<string>();
                var flags = string.Join(',', theory.Values.Select(v => labels.Contains(v.Code) ? "1" : "0"));
                w.WriteLine($"{head},{(i + 1).ToString(CultureInfo.InvariantCulture)},{Csv.Field(r.Response.Opinions[i].Text)},{flags},");
            }
        }
    }

    /// <summary>Opinion text → its labels; two identical opinion texts share one key (their labels joined).</summary>
    private static List<(string Text, HashSet<string> Labels)> Labelled(JudgedResponse r)
    {
        var list = new List<(string, HashSet<string>)>();
        var byText = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (var i = 0; i < r.Response!.Opinions.Count; i++)
        {
            var text = r.Response.Opinions[i].Text;
            if (!byText.TryGetValue(text, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                byText[text] = set;
                list.Add((text, set));
            }
            if (i < r.ValuesPerOpinion.Count)
                set.UnionWith(r.ValuesPerOpinion[i]);
        }
        return list;
    }
}

/// <summary>RFC 4180 quoting for the CSV files we write.</summary>
internal static class Csv
{
    public static string Field(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    public static string Number(double d) => d.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Number(double? d) => d is { } x ? Number(x) : "";
}
