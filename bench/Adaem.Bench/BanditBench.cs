using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Adaem.Core.Analysis;
using Adaem.Core.Configuration;
using Adaem.Core.Data;
using Adaem.Core.Generation;
using Adaem.Core.Theory;
using Microsoft.Data.Sqlite;

namespace Adaem.Bench;

/// <summary>
/// Does the parallel bandit (generation.arms_per_round) give a benchmark of the same quality? On the simulated
/// pool of examples/offline.yaml, with a larger budget so the top 100 are a selection, the real CLI generates and
/// evaluates with k = 1, 4 and 8 for several values of generation.seed (the noise between seeds is the yardstick).
/// Per run: mean final score of the 100 selected questions; distinguishability (mean pairwise Pearson correlation
/// of the targets' expression-rate profiles, as the report's validity section reads it; lower separates better)
/// against as many raw seed questions; recovery (mean Spearman of latent priority and score over values);
/// candidates dropped at a round's merge as duplicates of a round-mate. Prints numbers; no target (exit 0).
/// Options: --budget N (default 96), --seeds N (generation.seed 1..N, default 3), --k 1,4,8.
/// </summary>
public sealed class BanditBench : IBench
{
    public string Name => "bandit";
    public string Description =>
        "quality of generation.arms_per_round k = 1, 4, 8 on the simulated pool: top-100 score, distinguishability vs seeds, recovery";

    private sealed record Row(
        int K,
        int Seed,
        double TopMean,
        int Selected,
        double Distinguishability,
        double Recovery,
        int MergeDrops,
        long Calls,
        double Seconds
    );

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var budget = Arg(args, "--budget", 96);
        var seeds = Arg(args, "--seeds", 3);
        var ks = ArgList(args, "--k", [1, 4, 8]);
        var dll = Path.Combine(AppContext.BaseDirectory, "adaem.dll");
        var source = Path.Combine(LatencyBench.RepositoryRoot(), "examples", "offline.yaml");
        var dir = Directory.CreateTempSubdirectory("adaem-bench-bandit-").FullName;
        try
        {
            Console.WriteLine(
                F(
                    $"bandit: examples/offline.yaml, budget {budget}, generation.seed 1..{seeds}, k = {string.Join(", ", ks)}; load average {RunBench.LoadAverage()}"
                )
            );
            var rows = new List<Row>();
            double? seedBaseline = null;
            foreach (var seed in Enumerable.Range(1, seeds))
            {
                foreach (var k in ks)
                {
                    var folder = Directory.CreateDirectory(Path.Combine(dir, $"s{seed}-k{k}")).FullName;
                    var config = Path.Combine(folder, "offline.yaml");
                    var text = (await File.ReadAllTextAsync(source, cancellationToken)).Replace(
                        "  budget: 40 ",
                        $"  budget: {budget}\n  arms_per_round: {k}\n  seed: {seed}\n  #",
                        StringComparison.Ordinal
                    );
                    await File.WriteAllTextAsync(config, text, cancellationToken);
                    var clock = Stopwatch.StartNew();
                    await Cli(dll, folder, cancellationToken, "generate", "-c", config, "--quiet");
                    var generateSeconds = clock.Elapsed.TotalSeconds;
                    await Cli(dll, folder, cancellationToken, "evaluate", "-c", config, "--quiet");
                    var row = Measure(config, folder, k, seed, generateSeconds);
                    rows.Add(row);
                    Console.WriteLine(
                        F(
                            $"  seed {seed} k = {k}: top-{row.Selected} mean final score {row.TopMean:0.000}, distinguishability {row.Distinguishability:0.000}, recovery {row.Recovery:0.000}, {row.MergeDrops} dropped at a merge, {row.Calls:N0} generate calls, generate {row.Seconds:0.0} s"
                        )
                    );
                    if (seedBaseline is null)
                    {
                        seedBaseline = await SeedBaseline(dll, folder, config, row.Selected, cancellationToken);
                        Console.WriteLine(
                            F(
                                $"  raw seed questions ({row.Selected}, evenly spaced over the built-in seeds): distinguishability {seedBaseline:0.000}"
                            )
                        );
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine(
                F(
                    $"summary over generation.seed 1..{seeds} (mean ± sd across seeds); seed questions' distinguishability {seedBaseline:0.000}"
                )
            );
            foreach (var k in ks)
            {
                var mine = rows.Where(r => r.K == k).ToList();
                Console.WriteLine(
                    F(
                        $"  k = {k}: top-100 score {Mean(mine, r => r.TopMean)}, distinguishability {Mean(mine, r => r.Distinguishability)}, recovery {Mean(mine, r => r.Recovery)}, merge drops {mine.Average(r => r.MergeDrops):0.0}, calls {mine.Average(r => r.Calls):N0}"
                    )
                );
            }
            Console.WriteLine(F($"bandit: load average at the end {RunBench.LoadAverage()}"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The simulated pool's priority of a value a profile leaves out (Providers' ValueProfile.Unnamed, internal there).</summary>
    private const double UnnamedPriority = 0.1;

    private static Row Measure(string configPath, string folder, int k, int seed, double seconds)
    {
        var config = ConfigLoader.Load(configPath);
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var out_ = Path.Combine(folder, "out", "main");
        var scores = File.ReadLines(Path.Combine(out_, "questions.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("score").GetDouble())
            .ToList();
        var (rates, table) = ReadScores(Path.Combine(out_, "scores.csv"));
        var targets = config.Evaluation.Targets;
        var distinguishability = Distinguishability
            .Compute(targets.Select(t => (IReadOnlyList<double>)theory.Values.Select(v => rates[t][v.Code]).ToArray()).ToList())
            .MeanProfileCorrelation;
        var recovery = theory
            .Values.Select(v =>
                Correlation.Spearman(
                    targets
                        .Select(t => config.Models[t].Profile is { } p && p.TryGetValue(v.Code, out var x) ? x : UnnamedPriority)
                        .ToArray(),
                    targets.Select(t => table[t][v.Code]).ToArray()
                )
            )
            .Average();
        using var c = new SqliteConnection($"Data Source={config.StorePath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText =
            "SELECT (SELECT COUNT(*) FROM questions WHERE depth = 0 AND reason LIKE '%same round%'), (SELECT COUNT(*) FROM model_calls WHERE stage = 'generate' AND error IS NULL)";
        using var r = cmd.ExecuteReader();
        r.Read();
        return new Row(k, seed, scores.Average(), scores.Count, distinguishability, recovery, r.GetInt32(0), r.GetInt64(1), seconds);
    }

    /// <summary>Expressed rates and scores from scores.csv, model → value → number.</summary>
    private static (Dictionary<string, Dictionary<string, double>> Rates, Dictionary<string, Dictionary<string, double>> Scores) ReadScores(
        string path
    )
    {
        var rates = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        var scores = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var row in TabularFile.Read(path))
        {
            var model = row.Get("model")!;
            (rates.TryGetValue(model, out var a) ? a : rates[model] = new(StringComparer.Ordinal))[row.Get("value")!] = D(
                row.Get("expressed_rate")!
            );
            (scores.TryGetValue(model, out var b) ? b : scores[model] = new(StringComparer.Ordinal))[row.Get("value")!] = D(
                row.Get("score")!
            );
        }
        return (rates, scores);
    }

    /// <summary>The targets on as many raw built-in seed questions, evenly spaced over the file (as the pipeline test does).</summary>
    private static async Task<double> SeedBaseline(string dll, string folder, string configPath, int count, CancellationToken ct)
    {
        var seeds = SeedSources.LoadBuiltin();
        var file = Path.Combine(folder, "seeds.jsonl");
        await File.WriteAllLinesAsync(
            file,
            Enumerable
                .Range(0, count)
                .Select(i => seeds[(int)((long)i * seeds.Count / count)])
                .Select(s => JsonSerializer.Serialize(new { id = s.Id, question = s.Question })),
            ct
        );
        await Cli(dll, folder, ct, "evaluate", "-c", configPath, "--questions", file, "--run", "seeds", "--quiet");
        var config = ConfigLoader.Load(configPath);
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var (rates, _) = ReadScores(Path.Combine(folder, "out", "seeds", "scores.csv"));
        return Distinguishability
            .Compute(
                config.Evaluation.Targets.Select(t => (IReadOnlyList<double>)theory.Values.Select(v => rates[t][v.Code]).ToArray()).ToList()
            )
            .MeanProfileCorrelation;
    }

    private static async Task Cli(string dll, string folder, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"adaem {string.Join(' ', args)} exited {p.ExitCode}\n{await stdout}{await stderr}");
    }

    private static string Mean(IReadOnlyList<Row> rows, Func<Row, double> f)
    {
        var xs = rows.Select(f).ToArray();
        var m = xs.Average();
        var sd = xs.Length > 1 ? Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Length - 1)) : double.NaN;
        return F($"{m:0.000} ± {sd:0.000}");
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int[] ArgList(string[] args, string name, int[] fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length
            ? args[i + 1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : fallback;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
