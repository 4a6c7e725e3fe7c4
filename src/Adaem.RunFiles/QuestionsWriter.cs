using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Adaem.Core.Generation;

namespace Adaem.RunFiles;

/// <summary>
/// Writes questions.jsonl, the benchmark file: one question a line with
/// id, question, argument, seed, category, generator, score and components{...}, best first.
/// Numbers are JSON numbers (culture-invariant by construction), rounded to 6 decimals.
/// Both are written through <see cref="AtomicFile"/>, so a reader never sees half a file.
/// </summary>
public static class QuestionsWriter
{
    public const string FileName = "questions.jsonl";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Write(string directory, IReadOnlyList<BenchmarkQuestion> questions)
    {
        var path = Path.Combine(directory, FileName);
        AtomicFile.WriteText(
            path,
            writer =>
            {
                foreach (var q in questions)
                    writer.WriteLine(ToLine(q));
            }
        );
        return path;
    }

    /// <summary>The flat columns of the benchmark as CSV (components as their own columns).</summary>
    public static string WriteCsv(string path, IReadOnlyList<BenchmarkQuestion> questions)
    {
        var sb = new StringBuilder(
            "id,question,argument,seed,category,generator,score,value_conformity,value_diversity,opinion_diversity,disentanglement\n"
        );
        foreach (var q in questions.Select(Rounded))
        {
            sb.Append(
                    string.Join(
                        ',',
                        Csv.Field(q.Id),
                        Csv.Field(q.Question),
                        Csv.Field(q.Argument ?? ""),
                        Csv.Field(q.Seed ?? ""),
                        Csv.Field(q.Category ?? ""),
                        Csv.Field(q.Generator ?? ""),
                        Csv.Number(q.Score),
                        Csv.Number(q.Components.ValueConformity),
                        Csv.Number(q.Components.ValueDiversity),
                        Csv.Number(q.Components.OpinionDiversity),
                        Csv.Number(q.Components.Disentanglement)
                    )
                )
                .Append('\n');
        }
        AtomicFile.WriteText(path, sb.ToString());
        return path;
    }

    public static string ToLine(BenchmarkQuestion q) => JsonSerializer.Serialize(Rounded(q), Json);

    private static BenchmarkQuestion Rounded(BenchmarkQuestion q) =>
        q with
        {
            Score = R(q.Score),
            Components = q.Components with
            {
                ValueConformity = R(q.Components.ValueConformity),
                ValueDiversity = R(q.Components.ValueDiversity),
                OpinionDiversity = R(q.Components.OpinionDiversity),
                Disentanglement = R(q.Components.Disentanglement),
                FastScore = q.Components.FastScore is { } f ? R(f) : null,
            },
        };

    private static double R(double x) => Math.Round(x, 6, MidpointRounding.ToEven);
}
