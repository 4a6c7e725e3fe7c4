using System.Reflection;
using Adaem.Core.Analysis;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Runs;
using Adaem.Reports.Html;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>What <see cref="RunsComparison.Write"/> compared and wrote.</summary>
public sealed record RunsCompared(string A, string B, RunComparisonResult Result, string Csv, string Html)
{
    /// <summary>Target names that resolve to different models in the two runs, each compared as two models.</summary>
    public IReadOnlyList<TargetMismatch> DifferentModels { get; init; } = [];
}

/// <summary>A target name the two runs share whose recorded identities differ: <see cref="AsA"/> and <see cref="AsB"/> name it in the output.</summary>
public sealed record TargetMismatch(string Name, string IdentityA, string IdentityB, string AsA, string AsB);

/// <summary>
/// Two scored runs side by side, from one store or two (`A,B` or `a.db:main,b.db:main`): score differences, rank
/// agreement per value and tests of order changes, written to compare.csv and compare.html. Reads the stores only.
/// </summary>
public static class RunsComparison
{
    /// <summary>Permutations (or bootstrap resamples) per tested pair.</summary>
    public const int Resamples = 2000;

    /// <param name="runs">The two runs, "A,B": a run name in the config's store, or STORE:RUN with a store path (relative to the
    /// config).</param>
    /// <param name="outOption">The output folder (default: out/compare-A-B/ beside the config).</param>
    public static RunsCompared Write(AdaemConfig cfg, string runs, string? outOption)
    {
        var specs = ParseRuns(runs, cfg);
        var dir = OutDirectory(cfg, specs, outOption);
        var (a, targetsA) = Load(specs[0], cfg);
        var (b, targetsB) = Load(specs[1], cfg);
        var mismatches = Mismatches(a, targetsA, b, targetsB);
        (a, b) = (Rename(a, mismatches, m => m.AsA), Rename(b, mismatches, m => m.AsB));
        RunFolders.RequireWritableOutput(dir);
        var result = RunComparison.Compare(a, b, Resamples, cfg.Evaluation.Seed);
        var version = typeof(RunsComparison).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var (csv, html) = CompareWriter.Write(
            new CompareInput(a.Label, specs[0].Describe(), b.Label, specs[1].Describe(), result) { AdaemVersion = version },
            dir
        );
        return new RunsCompared(a.Label, b.Label, result, csv, html) { DifferentModels = mismatches };
    }

    /// <summary>
    /// Target names scored in both runs whose recorded identities (provider, endpoint, model id, sampling) differ:
    /// the same local name for another model is not the same model, so each side keeps its own row, labelled with
    /// its run. A run that recorded no identity for a name (scored before instruments were kept) is matched by name.
    /// </summary>
    private static IReadOnlyList<TargetMismatch> Mismatches(
        ComparedRun a,
        IReadOnlyDictionary<string, string> targetsA,
        ComparedRun b,
        IReadOnlyDictionary<string, string> targetsB
    )
    {
        var names = a.Scores.Select(s => s.Model).Intersect(b.Scores.Select(s => s.Model), StringComparer.Ordinal);
        return names
            .Where(n => targetsA.TryGetValue(n, out var ia) && targetsB.TryGetValue(n, out var ib) && ia != ib)
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new TargetMismatch(n, targetsA[n], targetsB[n], $"{n} ({a.Label})", $"{n} ({b.Label})"))
            .ToList();
    }

    private static ComparedRun Rename(ComparedRun run, IReadOnlyList<TargetMismatch> mismatches, Func<TargetMismatch, string> label)
    {
        if (mismatches.Count == 0)
            return run;
        var names = mismatches.ToDictionary(m => m.Name, label, StringComparer.Ordinal);
        string Name(string model) => names.GetValueOrDefault(model, model);
        return run with
        {
            Scores = run.Scores.Select(s => s with { Model = Name(s.Model) }).ToList(),
            Responses = run.Responses.Select(r => r with { Model = Name(r.Model) }).ToList(),
        };
    }

    /// <summary>One side of --runs: a store file and a run in it; Label is what the user wrote.</summary>
    public sealed record RunSpec(string Label, string StorePath, string Run)
    {
        public string Describe() => $"run '{Run}' in {StorePath}";
    }

    public static IReadOnlyList<RunSpec> ParseRuns(string value, AdaemConfig cfg)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
            throw new InputException(
                "--runs",
                null,
                $"'{value}' does not name two runs",
                "pass two runs separated by a comma, e.g. --runs main,release2 or --runs a.db:main,b.db:main"
            );
        return parts
            .Select(p =>
            {
                var colon = p.LastIndexOf(':');
                // "C:\x" alone is a drive, not STORE:RUN; a run name never holds '\' or '/'.
                if (colon <= 0 || p[(colon + 1)..].IndexOfAny(['/', '\\']) >= 0)
                    return new RunSpec(p, cfg.StorePath, RunFolders.RunName(p));
                var store = p[..colon];
                var run = RunFolders.RunName(p[(colon + 1)..]);
                return new RunSpec(p, Path.GetFullPath(Path.IsPathRooted(store) ? store : Path.Combine(cfg.Directory, store)), run);
            })
            .ToList();
    }

    private static string OutDirectory(AdaemConfig cfg, IReadOnlyList<RunSpec> specs, string? outOption)
    {
        if (outOption is { Length: 0 })
            throw new InputException(
                "--out",
                null,
                "the output folder is empty",
                "leave out --out to use out/compare-A-B/ beside the config, or name a folder"
            );
        var dir = outOption is { } o
            ? Path.GetFullPath(o)
            : Path.Combine(cfg.Directory, "out", $"compare-{Safe(specs[0].Label)}-{Safe(specs[1].Label)}");
        if (File.Exists(dir))
            throw new InputException(dir, null, "the output folder is an existing file", "pass --out with a folder, or move that file");
        return dir;
    }

    private static string Safe(string label) =>
        new(
            Path.GetFileName(label.TrimEnd('/', '\\'))
                .Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')
                .ToArray()
        );

    /// <summary>
    /// The run's stored scores and the judged answers behind them, with the identities its targets were recorded under;
    /// a missing store or a run without scores is exit 2.
    /// </summary>
    private static (ComparedRun Run, IReadOnlyDictionary<string, string> Targets) Load(RunSpec spec, AdaemConfig cfg)
    {
        if (!File.Exists(spec.StorePath))
            throw new InputException(
                spec.StorePath,
                null,
                $"the store of '{spec.Label}' does not exist",
                "check the path in --runs (a store path is relative to the config's folder) or the 'store:' of the config"
            );
        var store = AdaemStore.Open(spec.StorePath);
        var scores = store.LoadScores(spec.Run);
        if (scores.Count == 0)
            throw new InputException(
                spec.StorePath,
                null,
                $"run '{spec.Run}' has no scores in this store",
                $"run 'adaem evaluate --run {spec.Run}' with the config of this store first, or check the run name ('adaem runs' lists them)"
            );
        if (scores.Any(s => s.Language is not null))
            throw CrossLingualRuns.NotSupported(spec.StorePath, spec.Run, "compare");
        var judge = store.ScoresJudge(spec.Run)!;
        string?[] modes = [cfg.Judge?.Mode, JudgeConfig.Batched, JudgeConfig.PerValue];
        var responses =
            modes
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .Select(m => OpinionJudging.LoadScored(store, spec.Run, Purposes.Evaluate, judge, m))
                .FirstOrDefault(r => r.Count > 0)
            ?? [];
        // Questions are matched by content: the text each id had in this run's scoring. A run scored before the
        // texts were recorded keeps its ids under its own label, so none of them is taken as shared.
        var texts = store.LoadScoredQuestions(spec.Run);
        responses = responses
            .Select(r =>
                r with
                {
                    QuestionId = texts.TryGetValue(r.QuestionId, out var text) ? "text:" + text : $"{spec.Label}/{r.QuestionId}",
                }
            )
            .ToList();
        var targets = store
            .LoadInstruments(spec.Run)
            .Where(i => i.Role == Instrument.Target && i.Current)
            .GroupBy(i => i.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Identity, StringComparer.Ordinal);
        return (new ComparedRun(spec.Label, scores, responses), targets);
    }
}
