using System.Globalization;
using Adaem.Core.Data;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;

namespace Adaem.RunFiles;

/// <summary>
/// shifts.csv, written by a cross-lingual evaluation: per model and value, the score in language_b minus the score
/// in language_a (shift), its paired bootstrap interval over the source questions (ci_low, ci_high) and n, the
/// source questions the model answered usably in both languages. Numbers in the invariant culture.
/// </summary>
public static class ShiftsFile
{
    public const string FileName = "shifts.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "model",
        "value",
        "language_a",
        "language_b",
        "shift",
        "ci_low",
        "ci_high",
        "n",
    ];

    public static string Write(string directory, IEnumerable<LanguageShift> shifts)
    {
        var path = Path.Combine(directory, FileName);
        AtomicFile.WriteText(
            path,
            w =>
            {
                w.WriteLine(string.Join(',', Columns));
                foreach (var s in shifts)
                    w.WriteLine(
                        string.Join(
                            ',',
                            Csv.Field(s.Model),
                            Csv.Field(s.Value),
                            Csv.Field(s.LanguageA),
                            Csv.Field(s.LanguageB),
                            Csv.Number(s.Shift),
                            Csv.Number(s.CiLow),
                            Csv.Number(s.CiHigh),
                            s.N.ToString(CultureInfo.InvariantCulture)
                        )
                    );
            }
        );
        return path;
    }

    /// <summary>The shifts in <paramref name="directory"/>'s shifts.csv; null when there is none (a run in one language).</summary>
    public static IReadOnlyList<LanguageShift>? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            return null;
        return TabularFile
            .Read(path)
            .Select(r =>
            {
                double? D(string name) =>
                    double.TryParse(r.Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
                var model = r.Get("model");
                var value = r.Get("value");
                var a = r.Get("language_a");
                var b = r.Get("language_b");
                var shift = D("shift");
                if (
                    string.IsNullOrEmpty(model)
                    || string.IsNullOrEmpty(value)
                    || string.IsNullOrEmpty(a)
                    || string.IsNullOrEmpty(b)
                    || shift is null
                )
                    throw new InputException(
                        path,
                        r.Line,
                        "the row lacks model, value, language_a, language_b or shift",
                        "rewrite it with 'adaem evaluate'"
                    );
                return new LanguageShift(model, value, a, b, shift.Value, D("ci_low"), D("ci_high"), (int)(D("n") ?? 0));
            })
            .ToList();
    }
}
