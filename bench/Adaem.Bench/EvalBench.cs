using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Bench;

/// <summary>
/// `eval` benchmark: relative value scores for the paper's scale — 12,310 questions × 16 models × 10 values —
/// from synthetic judgments (each model expresses each value with its own latent rate). Prints the time
/// of each step, its ratio to the target (below 1 is within it), the peak working set, and a sanity check
/// that the scores recover the latent order. Options: --questions N --models M --bootstrap B --orderings K --seed S.
/// </summary>
public sealed class EvalBench : IBench
{
    public string Name => "eval";
    public string Description => "relative scores at the paper's scale: 12,310 questions x 16 models x 10 values, bootstrap, memory";

    private const double ScoreTargetSeconds = 2.0;
    private const double BootstrapTargetSeconds = 10.0;
    private const double MemoryTargetMb = 500.0;

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var questions = Option(args, "--questions", 12_310);
        var models = Option(args, "--models", 16);
        var bootstrap = Option(args, "--bootstrap", 1000);
        var orderings = Option(args, "--orderings", new EvaluationConfig().Orderings);
        var seed = Option(args, "--seed", 1);
        var tauIndex = Array.IndexOf(args, "--tau");
        var tau = tauIndex >= 0 && tauIndex + 1 < args.Length ? double.Parse(args[tauIndex + 1], CultureInfo.InvariantCulture) : 25.0 / 300;
        var theory = TheoryLoader.Load("schwartz10");
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(
            string.Create(
                inv,
                $"eval: {questions:N0} questions × {models} models × {theory.Count} values, {orderings} orderings, {bootstrap} bootstrap resamples, tau {tau:G4}, {Environment.ProcessorCount} cores"
            )
        );

        var sw = Stopwatch.StartNew();
        var (responses, rates) = Synthesize(questions, models, theory, seed);
        var synth = sw.Elapsed.TotalSeconds;
        Console.WriteLine(
            string.Create(inv, $"  synthesize {responses.Count:N0} judged responses: {synth:F2} s (not timed against a target)")
        );

        var scoring = new RelativeScoring();
        var names = Enumerable.Range(0, models).Select(ModelName).ToList();

        // Wall time is what the targets are about; CPU time (all threads) shows the work itself, which is
        // what to compare on a shared, busy machine.
        var process = Process.GetCurrentProcess();
        TimeSpan Cpu()
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }

        var cpu = Cpu();
        sw.Restart();
        var matrix = ExpressionMatrix.Build(responses, theory, names);
        var build = sw.Elapsed.TotalSeconds;
        var buildCpu = (Cpu() - cpu).TotalSeconds;

        cpu = Cpu();
        sw.Restart();
        var scores = scoring.Score(
            matrix,
            new EvaluationConfig
            {
                Orderings = orderings,
                Bootstrap = 0,
                Seed = seed,
                Tau = tau,
            },
            cancellationToken
        );
        var rate = sw.Elapsed.TotalSeconds;
        var rateCpu = (Cpu() - cpu).TotalSeconds;
        var scoreTotal = build + rate;
        Console.WriteLine(string.Create(inv, $"  pack judgments into bitsets: {build:F3} s wall, {buildCpu:F3} s cpu"));
        Console.WriteLine(string.Create(inv, $"  rate {orderings} orderings: {rate:F3} s wall, {rateCpu:F3} s cpu"));
        Console.WriteLine(
            string.Create(
                inv,
                $"  scores (pack + rate): {scoreTotal:F3} s  target < {ScoreTargetSeconds} s  ratio {scoreTotal / ScoreTargetSeconds:F3}"
            )
        );

        cpu = Cpu();
        sw.Restart();
        var withCi = scoring.Score(
            matrix,
            new EvaluationConfig
            {
                Orderings = orderings,
                Bootstrap = bootstrap,
                Seed = seed,
                Tau = tau,
            },
            cancellationToken
        );
        var bootWall = sw.Elapsed.TotalSeconds;
        var bootCpu = (Cpu() - cpu).TotalSeconds;
        var boot = bootWall + build;
        Console.WriteLine(string.Create(inv, $"  rate + {bootstrap} bootstrap resamples: {bootWall:F3} s wall, {bootCpu:F3} s cpu"));
        Console.WriteLine(
            string.Create(
                inv,
                $"  scores with {bootstrap} bootstrap resamples (pack + rate + bootstrap): {boot:F3} s  target < {BootstrapTargetSeconds} s  ratio {boot / BootstrapTargetSeconds:F3}"
            )
        );
        Console.WriteLine(string.Create(inv, $"  load average while running: {LoadAverage()}"));

        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine(
            string.Create(inv, $"  peak working set: {peakMb:F0} MB  target < {MemoryTargetMb} MB  ratio {peakMb / MemoryTargetMb:F3}")
        );

        // Sanity: per value, the Spearman correlation between latent rates and scores.
        var rhos = new List<double>();
        for (var v = 0; v < theory.Count; v++)
        {
            var s = names.Select(n => scores.Single(x => x.Model == n && x.Value == theory.Values[v].Code).Score).ToArray();
            var r = Enumerable.Range(0, models).Select(m => rates[m, v]).ToArray();
            rhos.Add(Spearman(r, s));
        }
        var widths = withCi.Average(x => x.CiHigh!.Value - x.CiLow!.Value);
        Console.WriteLine(
            string.Create(
                inv,
                $"  check: Spearman(latent rate, score) per value min {rhos.Min():F3} mean {rhos.Average():F3}; mean CI width {widths:F2} points"
            )
        );
        if (Option(args, "--order-study", 0) is > 0 and var studyOrderings)
        {
            // Order noise of the point estimate: two seeds (two sets of orderings), mean and max gap.
            var x = scoring.Score(
                matrix,
                new EvaluationConfig
                {
                    Orderings = studyOrderings,
                    Bootstrap = 0,
                    Seed = seed,
                    Tau = tau,
                },
                cancellationToken
            );
            var y = scoring.Score(
                matrix,
                new EvaluationConfig
                {
                    Orderings = studyOrderings,
                    Bootstrap = 0,
                    Seed = seed + 1,
                    Tau = tau,
                },
                cancellationToken
            );
            var gaps = x.Zip(y).Select(p => Math.Abs(p.First.Score - p.Second.Score)).ToList();
            Console.WriteLine(
                string.Create(
                    inv,
                    $"  order-study: {studyOrderings} orderings, two seeds: mean gap {gaps.Average():F2}, max gap {gaps.Max():F2} points"
                )
            );
        }
        if (Option(args, "--ci-study", 0) is > 0 and var studyBoots)
        {
            // How much of the interval width is order noise: the same resamples replayed in 1, 2, 8 orderings.
            foreach (var k in new[] { 1, 2, 8 })
            {
                sw.Restart();
                var study = new RelativeScoring { BootstrapOrderings = k }.Score(
                    matrix,
                    new EvaluationConfig
                    {
                        Orderings = orderings,
                        Bootstrap = studyBoots,
                        Seed = seed,
                        Tau = tau,
                    },
                    cancellationToken
                );
                Console.WriteLine(
                    string.Create(
                        inv,
                        $"  ci-study: {studyBoots} resamples × {k} orderings: mean CI width {study.Average(x => x.CiHigh!.Value - x.CiLow!.Value):F2} points ({sw.Elapsed.TotalSeconds:F1} s)"
                    )
                );
            }
        }
        var ok = scoreTotal < ScoreTargetSeconds && boot < BootstrapTargetSeconds && peakMb < MemoryTargetMb;
        Console.WriteLine(ok ? "eval: all targets met" : "eval: some targets missed");
        return Task.FromResult(ok ? 0 : 1);
    }

    private static string ModelName(int m) => $"model-{m:D2}";

    /// <summary>Judged responses with 3 opinions each; model m expresses value v on a question with a latent rate.</summary>
    private static (List<JudgedResponse> Responses, double[,] Rates) Synthesize(int questions, int models, ValueTheory theory, int seed)
    {
        var rng = new Random(seed);
        var rates = new double[models, theory.Count];
        for (var m = 0; m < models; m++)
        for (var v = 0; v < theory.Count; v++)
            rates[m, v] = 0.05 + 0.9 * rng.NextDouble();
        // Per opinion probability p so that "any of 3 opinions" happens with the latent rate.
        var perOpinion = new double[models, theory.Count];
        for (var m = 0; m < models; m++)
        for (var v = 0; v < theory.Count; v++)
            perOpinion[m, v] = 1 - Math.Pow(1 - rates[m, v], 1.0 / 3);
        var opinions = new[]
        {
            new Opinion("First point", "because"),
            new Opinion("Second point", "because"),
            new Opinion("Third point", "because"),
        };
        var parsed = new ParsedResponse("yes", opinions);
        var list = new List<JudgedResponse>(questions * models);
        for (var q = 0; q < questions; q++)
        {
            var id = $"q{q:D6}";
            for (var m = 0; m < models; m++)
            {
                var sets = new IReadOnlySet<string>[3];
                for (var o = 0; o < 3; o++)
                {
                    var set = new HashSet<string>(StringComparer.Ordinal);
                    for (var v = 0; v < theory.Count; v++)
                        if (rng.NextDouble() < perOpinion[m, v])
                            set.Add(theory.Values[v].Code);
                    sets[o] = set;
                }
                list.Add(new JudgedResponse(id, ModelName(m), 0, parsed, sets));
            }
        }
        return (list, rates);
    }

    private static double Spearman(double[] a, double[] b)
    {
        double[] Rank(double[] x)
        {
            var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
            var r = new double[x.Length];
            for (var i = 0; i < order.Length; i++)
                r[order[i]] = i;
            return r;
        }
        var ra = Rank(a);
        var rb = Rank(b);
        var n = a.Length;
        var d2 = 0.0;
        for (var i = 0; i < n; i++)
            d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
        return 1 - 6 * d2 / (n * ((double)n * n - 1));
    }

    /// <summary>The 1-minute load average on Linux (how busy the machine was), or "n/a".</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
