using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Adaem.Core.Analysis;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Reports.Html;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem compare`: two scored runs side by side — from one store or two (`--runs a.db:main,b.db:main`) —
/// with score differences, rank agreement per value and tests of order changes. Reads the stores only; no model is asked.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Permutations (or bootstrap resamples) per tested pair.</summary>
    public const int Resamples = 2000;

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var runs = new Option<string>("--runs")
        {
            Description = "The two runs, A,B: a run name in the config's store, or STORE:RUN with a store path (relative to the config, or absolute)",
            Required = true,
        };
        var outDir = new Option<string?>("--out") { Description = "Directory for compare.csv and compare.html (default: out/compare-A-B/ beside the config)" };
        var cmd = new Command("compare", "Compare the scores of two runs: differences, rank agreement and order changes beyond noise") { config, runs, outDir };
        cmd.SetAction(parse =>
        {
            var cfg = ConfigLoader.Load(parse.GetValue(config)!);
            var specs = ParseRuns(parse.GetValue(runs)!, cfg);
            var dir = OutDirectory(cfg, specs, parse.GetValue(outDir));
            var a = Load(specs[0], cfg);
            var b = Load(specs[1], cfg);
            Wiring.RequireWritableOutput(dir);
            var result = RunComparison.Compare(a, b, Resamples, cfg.Evaluation.Seed);
            var version = typeof(CompareCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var (csv, html) = CompareWriter.Write(new CompareInput(a.Label, specs[0].Describe(), b.Label, specs[1].Describe(), result) { AdaemVersion = version }, dir);
            Summarize(a.Label, b.Label, result);
            Console.WriteLine($"wrote {csv}");
            Console.WriteLine($"wrote {html}");
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    /// <summary>One side of --runs: a store file and a run in it; Label is what the user wrote.</summary>
    internal sealed record RunSpec(string Label, string StorePath, string Run)
    {
        public string Describe() => $"run '{Run}' in {StorePath}";
    }

    internal static IReadOnlyList<RunSpec> ParseRuns(string value, AdaemConfig cfg)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            throw new InputException("--runs", null, $"'{value}' does not name two runs", "pass two runs separated by a comma, e.g. --runs main,release2 or --runs a.db:main,b.db:main");
        return parts.Select(p =>
        {
            var colon = p.LastIndexOf(':');
            // "C:\x" alone is a drive, not STORE:RUN; a run name never holds '\' or '/'.
            if (colon <= 0 || p[(colon + 1)..].IndexOfAny(['/', '\\']) >= 0) return new RunSpec(p, cfg.StorePath, Wiring.RunName(p));
            var store = p[..colon];
            var run = Wiring.RunName(p[(colon + 1)..]);
            return new RunSpec(p, Path.GetFullPath(Path.IsPathRooted(store) ? store : Path.Combine(cfg.Directory, store)), run);
        }).ToList();
    }

    private static string OutDirectory(AdaemConfig cfg, IReadOnlyList<RunSpec> specs, string? outOption)
    {
        if (outOption is { Length: 0 })
            throw new InputException("--out", null, "the output folder is empty", "leave out --out to use out/compare-A-B/ beside the config, or name a folder");
        var dir = outOption is { } o ? Path.GetFullPath(o) : Path.Combine(cfg.Directory, "out", $"compare-{Safe(specs[0].Label)}-{Safe(specs[1].Label)}");
        if (File.Exists(dir))
            throw new InputException(dir, null, "the output folder is an existing file", "pass --out with a folder, or move that file");
        return dir;
    }

    private static string Safe(string label) =>
        new(Path.GetFileName(label.TrimEnd('/', '\\')).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    /// <summary>The run's stored scores and the judged answers behind them; a missing store or a run without scores is exit 2.</summary>
    private static ComparedRun Load(RunSpec spec, AdaemConfig cfg)
    {
        if (!File.Exists(spec.StorePath))
            throw new InputException(spec.StorePath, null, $"the store of '{spec.Label}' does not exist",
                "check the path in --runs (a store path is relative to the config's folder) or the 'store:' of the config");
        var store = AdaemStore.Open(spec.StorePath);
        var scores = store.LoadScores(spec.Run);
        if (scores.Count == 0)
            throw new InputException(spec.StorePath, null, $"run '{spec.Run}' has no scores in this store",
                $"run 'adaem evaluate --run {spec.Run}' with the config of this store first, or check the run name ('adaem runs' lists them)");
        var judge = store.ScoresJudge(spec.Run)!;
        string?[] modes = [cfg.Judge?.Mode, JudgeConfig.Batched, JudgeConfig.PerValue];
        var responses = modes.OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(m => OpinionJudging.LoadScored(store, spec.Run, Purposes.Evaluate, judge, m))
            .FirstOrDefault(r => r.Count > 0) ?? [];
        // Questions are matched by content: the text each id had in this run's scoring. A run scored before the
        // texts were recorded keeps its ids under its own label, so none of them is taken as shared.
        var texts = store.LoadScoredQuestions(spec.Run);
        responses = responses.Select(r => r with
        {
            QuestionId = texts.TryGetValue(r.QuestionId, out var text) ? "text:" + text : $"{spec.Label}/{r.QuestionId}",
        }).ToList();
        return new ComparedRun(spec.Label, scores, responses);
    }

    private static void Summarize(string a, string b, RunComparisonResult r)
    {
        var both = r.Shifts.Where(s => double.IsFinite(s.Difference)).ToList();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"compare {a} (A) vs {b} (B): {both.Select(s => s.Model).Distinct().Count()} models and {both.Select(s => s.Value).Distinct().Count()} values in both runs");
        if (both.Count > 0)
        {
            var largest = both.OrderByDescending(s => Math.Abs(s.Difference)).First();
            Console.WriteLine(string.Create(inv, $"  mean |score difference| {both.Average(s => Math.Abs(s.Difference)):F1}; largest {largest.Model} on {largest.Value}: {largest.Difference:+0.0;-0.0;0.0}"));
            var shift = both.OrderByDescending(s => Math.Abs(s.ExpressedShift)).First();
            Console.WriteLine(string.Create(inv, $"  largest expression-rate shift: {shift.Model} on {shift.Value}, {shift.ExpressedShift * 100:+0.0;-0.0;0.0} points"));
        }
        var rhos = r.Ranks.Where(x => double.IsFinite(x.Spearman)).ToList();
        if (rhos.Count > 0)
            Console.WriteLine(string.Create(inv, $"  rank agreement (Spearman) per value: median {Median(rhos.Select(x => x.Spearman)):F2}, lowest {rhos.Min(x => x.Spearman):F2} ({rhos.MinBy(x => x.Spearman)!.Value})"));
        var test = r.SharedQuestions > 0 ? $"paired permutation over {r.SharedQuestions} shared questions" : "bootstrap over each run's questions (no shared question)";
        var changed = r.OrderChanges.Where(o => o.BeyondNoise).ToList();
        Console.WriteLine($"  order changes: {r.OrderChanges.Count} pairs tested ({test}, {r.Resamples} resamples, Holm-adjusted); {changed.Count} changed order beyond noise (p < 0.05)");
        foreach (var o in changed)
            Console.WriteLine(string.Create(inv, $"    {o.Value}: {o.First} vs {o.Second}, gap {o.GapA * 100:+0.0;-0.0;0.0} -> {o.GapB * 100:+0.0;-0.0;0.0} points, Holm p {o.HolmP:0.000}"));
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
