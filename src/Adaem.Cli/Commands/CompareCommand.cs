using System.CommandLine;
using System.Globalization;
using Adaem.Core.Analysis;
using Adaem.Core.Configuration;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem compare`: two scored runs side by side — from one store or two (`--runs a.db:main,b.db:main`) —
/// with score differences, rank agreement per value and tests of order changes. Reads the stores only; no model is asked.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var runs = new Option<string>("--runs")
        {
            Description =
                "The two runs, A,B: a run name in the config's store, or STORE:RUN with a store path (relative to the config, or absolute)",
            Required = true,
        };
        var outDir = new Option<string?>("--out")
        {
            Description = "Directory for compare.csv and compare.html (default: out/compare-A-B/ beside the config)",
        };
        var cmd = new Command("compare", "Compare the scores of two runs: differences, rank agreement and order changes beyond noise")
        {
            config,
            runs,
            outDir,
        };
        cmd.SetAction(parse =>
        {
            var compared = RunsComparison.Write(ConfigLoader.Load(parse.GetValue(config)!), parse.GetValue(runs)!, parse.GetValue(outDir));
            foreach (var m in compared.DifferentModels)
                Console.Error.WriteLine(
                    $"warning: target '{m.Name}' is another model in each run ({compared.A}: {m.IdentityA}; {compared.B}: {m.IdentityB}); compared as two models, '{m.AsA}' and '{m.AsB}'"
                );
            Summarize(compared.A, compared.B, compared.Result);
            Console.WriteLine($"wrote {compared.Csv}");
            Console.WriteLine($"wrote {compared.Html}");
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    private static void Summarize(string a, string b, RunComparisonResult r)
    {
        var both = r.Shifts.Where(s => double.IsFinite(s.Difference)).ToList();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(
            $"compare {a} (A) vs {b} (B): {both.Select(s => s.Model).Distinct().Count()} models and {both.Select(s => s.Value).Distinct().Count()} values in both runs"
        );
        if (both.Count > 0)
        {
            var largest = both.OrderByDescending(s => Math.Abs(s.Difference)).First();
            Console.WriteLine(
                string.Create(
                    inv,
                    $"  mean |score difference| {both.Average(s => Math.Abs(s.Difference)):F1}; largest {largest.Model} on {largest.Value}: {largest.Difference:+0.0;-0.0;0.0}"
                )
            );
            var shift = both.OrderByDescending(s => Math.Abs(s.ExpressedShift)).First();
            Console.WriteLine(
                string.Create(
                    inv,
                    $"  largest expression-rate shift: {shift.Model} on {shift.Value}, {shift.ExpressedShift * 100:+0.0;-0.0;0.0} points"
                )
            );
        }
        var rhos = r.Ranks.Where(x => double.IsFinite(x.Spearman)).ToList();
        if (rhos.Count > 0)
            Console.WriteLine(
                string.Create(
                    inv,
                    $"  rank agreement (Spearman) per value: median {Median(rhos.Select(x => x.Spearman)):F2}, lowest {rhos.Min(x => x.Spearman):F2} ({rhos.MinBy(x => x.Spearman)!.Value})"
                )
            );
        var test =
            r.SharedQuestions > 0
                ? $"paired permutation over {r.SharedQuestions} shared questions for {r.PairedTests} pairs, bootstrap over each run's questions for {r.PairsTested - r.PairedTests}"
                : "bootstrap over each run's questions (no shared question)";
        var changed = r.OrderChanges.Where(o => o.BeyondNoise).ToList();
        Console.WriteLine(
            $"  order changes: {r.OrderChanges.Count} of {r.PairsTested} pairs tested changed order ({test}, {r.Resamples} resamples, Holm-adjusted over all {r.PairsTested}); {changed.Count} changed order beyond noise (p < 0.05)"
        );
        foreach (var o in changed)
            Console.WriteLine(
                string.Create(
                    inv,
                    $"    {o.Value}: {o.First} vs {o.Second}, gap {o.GapA * 100:+0.0;-0.0;0.0} -> {o.GapB * 100:+0.0;-0.0;0.0} points, Holm p {o.HolmP:0.000}"
                )
            );
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
