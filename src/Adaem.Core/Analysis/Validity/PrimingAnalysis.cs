using Adaem.Core.Theory;

namespace Adaem.Core.Analysis.Validity;

/// <summary>One primed condition: the target was told to hold <see cref="PrimedValue"/>. Group entries are
/// means over the values of that group (NaN when the theory gives the value no such group).</summary>
public sealed record PrimingRow(
    string PrimedValue,
    double BaselineTarget,
    double PrimedTarget,
    double BaselineSameGroup,
    double PrimedSameGroup,
    double BaselineOppositeGroup,
    double PrimedOppositeGroup
);

/// <summary>
/// Value priming (the paper's §4.2, App. C.11): if the scores measure values, priming a model on one value must raise that
/// value (Target), raise its group neighbours less (SameGroup) and lower the opposite group (OppositeGroup).
/// Each test pairs baseline and primed scores over the primed conditions.
/// </summary>
public sealed record PrimingResult(
    string Model,
    IReadOnlyList<PrimingRow> Rows,
    PairedTestResult Target,
    PairedTestResult SameGroup,
    PairedTestResult OppositeGroup
)
{
    /// <summary>All three predicted directions hold (target up, same group up, opposite group down).</summary>
    public bool DirectionsAsPredicted =>
        Target.MeanDifference > 0
        && (double.IsNaN(SameGroup.MeanDifference) || SameGroup.MeanDifference > 0)
        && (double.IsNaN(OppositeGroup.MeanDifference) || OppositeGroup.MeanDifference < 0);
}

internal static class PrimingAnalysis
{
    /// <param name="baseline">The unprimed model's score per value code.</param>
    /// <param name="primed">Per primed value code: the primed model's score per value code.</param>
    /// <remarks>
    /// The unit of each test is one primed condition (df = conditions − 1), with the group scores averaged
    /// inside a condition. The paper's table reports member-level pairs (more pairs, but pairs that share a
    /// baseline and a priming run are not independent); one pair per condition is the conservative reading.
    /// </remarks>
    public static PrimingResult Analyze(
        ValueTheory theory,
        string model,
        IReadOnlyDictionary<string, double> baseline,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> primed
    )
    {
        var rows = new List<PrimingRow>();
        foreach (var value in theory.Values.Select(v => v.Code).Where(primed.ContainsKey))
        {
            var after = primed[value];
            var same = theory.SameGroup(value).Select(v => v.Code).ToList();
            var opposite = theory.OppositeGroup(value).Select(v => v.Code).ToList();
            rows.Add(
                new PrimingRow(
                    value,
                    Get(baseline, value),
                    Get(after, value),
                    Mean(baseline, same),
                    Mean(after, same),
                    Mean(baseline, opposite),
                    Mean(after, opposite)
                )
            );
        }
        return new PrimingResult(
            model,
            rows,
            Test(rows, r => r.BaselineTarget, r => r.PrimedTarget),
            Test(rows, r => r.BaselineSameGroup, r => r.PrimedSameGroup),
            Test(rows, r => r.BaselineOppositeGroup, r => r.PrimedOppositeGroup)
        );
    }

    private static PairedTestResult Test(List<PrimingRow> rows, Func<PrimingRow, double> before, Func<PrimingRow, double> after)
    {
        var usable = rows.Where(r => !double.IsNaN(before(r)) && !double.IsNaN(after(r))).ToList();
        return PairedTTest.Run(usable.Select(before).ToArray(), usable.Select(after).ToArray());
    }

    private static double Get(IReadOnlyDictionary<string, double> scores, string value) =>
        scores.TryGetValue(value, out var s) ? s : double.NaN;

    private static double Mean(IReadOnlyDictionary<string, double> scores, IReadOnlyList<string> values)
    {
        var present = values.Where(scores.ContainsKey).Select(v => scores[v]).ToList();
        return present.Count == 0 ? double.NaN : present.Average();
    }
}
