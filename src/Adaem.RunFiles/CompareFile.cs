using Adaem.Core.Analysis;

namespace Adaem.RunFiles;

/// <summary>
/// compare.csv: one row per model and value scored in either run — each run's score, interval and expression
/// rate, and the differences (B − A). A side where the model or value is missing is left empty.
/// </summary>
public static class CompareFile
{
    public const string FileName = "compare.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "model",
        "value",
        "score_a",
        "ci_low_a",
        "ci_high_a",
        "score_b",
        "ci_low_b",
        "ci_high_b",
        "difference",
        "expressed_rate_a",
        "expressed_rate_b",
        "expressed_shift",
    ];

    public static string Write(string dir, RunComparisonResult result)
    {
        var path = Path.Combine(dir, FileName);
        AtomicFile.WriteText(
            path,
            w =>
            {
                w.WriteLine(string.Join(',', Columns));
                foreach (var s in result.Shifts)
                {
                    w.WriteLine(
                        string.Join(
                            ',',
                            Csv.Field(s.Model),
                            Csv.Field(s.Value),
                            Csv.Number(s.A?.Score),
                            Csv.Number(s.A?.CiLow),
                            Csv.Number(s.A?.CiHigh),
                            Csv.Number(s.B?.Score),
                            Csv.Number(s.B?.CiLow),
                            Csv.Number(s.B?.CiHigh),
                            Finite(s.Difference),
                            Csv.Number(s.A?.ExpressedRate),
                            Csv.Number(s.B?.ExpressedRate),
                            Finite(s.ExpressedShift)
                        )
                    );
                }
            }
        );
        return path;
    }

    private static string Finite(double d) => double.IsFinite(d) ? Csv.Number(d) : "";
}
