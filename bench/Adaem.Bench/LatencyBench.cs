using System.Globalization;
using Adaem.Bench.Latency;
using Adaem.Tests.Providers;

namespace Adaem.Bench;

/// <summary>
/// adaem at real provider latencies (issue 12), against a loopback OpenAI-compatible server that answers after
/// a set delay (real HTTP, the real engine):
/// evaluate through the real CLI at 1 s latency, as a ratio to the shortest call phase the configured concurrency allows
/// (<see cref="IdealSchedule"/>; target ≥ 0.9),
/// and at 50 ms with every model at concurrency 16, all calls per second from process start to exit against the
/// 320 calls/s one such model answers (target ≥ 0.9); the time from process start to the first request (target &lt; 0.3 s);
/// generation on the simulated pool with generation.arms_per_round k = 1, 4 and 8 on the same budget at
/// 1 s latency, per-step wall time (target: k = 8 at least 5× faster per step than k = 1).
/// The evaluate runs also check the progress lines' ETA and calls/s against what happened, and a run of 10,000
/// items (2,500 questions × 4 targets at 10 ms) reads the peak resident set of the whole command (target &lt; 500 MB).
/// Options: --latency-ms N (generation and the main evaluate run, default 1000), --budget N (default 16),
/// --questions N (default 200), --concurrency N (default 64), --k 1,4,8 (the first is the baseline), --memory-questions N
/// (default 2500), --memory-latency-ms N (default 10), --adaem PATH (the adaem.dll to run; default the one built beside the
/// bench, JIT only: a ReadyToRun publish, as the tool packages carry, starts and warms up faster), --skip-generate,
/// --skip-evaluate, --skip-fast (no 50 ms run), --skip-memory. ADAEM_BENCH_CHILD_PREFIX="CMD ARGS --" runs the CLI under CMD
/// (e.g. dotnet-trace collect, or /usr/bin/time).
/// </summary>
public sealed class LatencyBench : IBench
{
    public string Name => "latency";
    public string Description =>
        "evaluate and generate against a loopback server at 1 s latency: ratio to the concurrency limit, k = 8 vs 1 per step, first request";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var latency = TimeSpan.FromMilliseconds(Arg(args, "--latency-ms", 1000));
        var budget = Arg(args, "--budget", 16);
        var questions = Arg(args, "--questions", 200);
        var concurrency = Arg(args, "--concurrency", 64);
        // The CLI as built beside the bench (JIT only), or another build, e.g. a ReadyToRun publish as the tool packages carry it.
        var dll =
            Array.IndexOf(args, "--adaem") is var a and >= 0 && a + 1 < args.Length
                ? Path.GetFullPath(args[a + 1])
                : Path.Combine(AppContext.BaseDirectory, "adaem.dll");
        var dir = Directory.CreateTempSubdirectory("adaem-bench-latency-").FullName;
        var met = true;
        try
        {
            Console.WriteLine(
                F($"latency: loopback server at {latency.TotalMilliseconds:0} ms per call; {dll}; load average {RunBench.LoadAverage()}")
            );
            if (!args.Contains("--skip-evaluate"))
            {
                var rows = new List<EvaluateTiming>();
                foreach (
                    var (l, c) in new[] { (latency, concurrency), (TimeSpan.FromMilliseconds(50), 16) }.Take(
                        args.Contains("--skip-fast") ? 1 : 2
                    )
                )
                {
                    var t = await EvaluateAtLatency.RunAsync(dll, dir, questions, 4, c, l, cancellationToken);
                    rows.Add(t);
                    Console.WriteLine(
                        F(
                            $"evaluate: {t.Questions} questions × {t.Targets} targets + batched judge, every model concurrency {t.Concurrency}, {t.Latency.TotalMilliseconds:0} ms a call: {t.Requests:N0} requests, at most {t.MaxInFlight} in flight, {t.MaxInFlightPerModel} of one model"
                        )
                    );
                    Console.WriteLine(
                        F(
                            $"  limit {t.Limit.TotalSeconds:0.00} s (the shortest call phase at these limits: the judge's {t.Questions * t.Targets:N0} calls, {t.Concurrency} at a time, each once its answer is back); call phase {t.CallPhase.TotalSeconds:0.00} s → ratio {t.Ratio:0.000}; end to end {t.EndToEnd.TotalSeconds:0.00} s"
                        )
                    );
                    Console.WriteLine(
                        F(
                            $"  fluid bound {t.Fluid.TotalSeconds:0.00} s (the judge's calls / {t.Concurrency} × {t.Latency.TotalSeconds:0.###} s, as if it needed no answer to start and no whole rounds): {t.FluidRatio:0.000}, at most {t.FluidCeiling:0.000}"
                        )
                    );
                    Console.WriteLine(
                        F(
                            $"  first request {t.FirstRequest.TotalSeconds:0.000} s after the process started; exit {(t.EndToEnd - t.LastReply).TotalSeconds:0.000} s after the last reply"
                        )
                    );
                    Console.WriteLine(
                        F(
                            $"  end to end {t.CallsPerSecond:0} calls/s = {t.CallsPerSecondRatio:0.000} of one model's {t.Concurrency / t.Latency.TotalSeconds:0} calls/s"
                        )
                    );
                    ProgressCheck.Print(t);
                }
                var main = rows[0];
                var first = rows.Min(r => r.FirstRequest);
                met &= main.Ratio >= 0.9 && first.TotalSeconds < 0.3;
                Console.WriteLine(
                    F(
                        $"summary: evaluate at {main.Latency.TotalMilliseconds:0} ms   ≥ 0.90 of the limit → {main.Ratio:0.000}   ratio {main.Ratio / 0.9:0.00}"
                    )
                );
                if (rows.Count > 1)
                {
                    // Process start to exit, all calls: at least 0.9 of what one model at concurrency 16 and 50 ms can answer.
                    var fast = rows[1];
                    met &= fast.CallsPerSecondRatio >= 0.9;
                    Console.WriteLine(
                        F(
                            $"summary: evaluate at 50 ms end to end ≥ 0.90 of {fast.Concurrency / fast.Latency.TotalSeconds:0} calls/s → {fast.CallsPerSecondRatio:0.000}   ratio {fast.CallsPerSecondRatio / 0.9:0.00}"
                        )
                    );
                }
                Console.WriteLine(
                    F(
                        $"summary: first request          < 0.30 s            → {first.TotalSeconds:0.000} s  ratio {0.3 / first.TotalSeconds:0.00}"
                    )
                );
            }
            if (!args.Contains("--skip-memory"))
            {
                // 10,000 items (2,500 questions × 4 targets, 20,000 calls) at a low latency: the peak memory of the whole command.
                var t = await EvaluateAtLatency.RunAsync(
                    dll,
                    dir,
                    Arg(args, "--memory-questions", 2500),
                    4,
                    concurrency,
                    TimeSpan.FromMilliseconds(Arg(args, "--memory-latency-ms", 10)),
                    cancellationToken,
                    measureMemory: true
                );
                var mb = t.PeakRssBytes!.Value / 1e6;
                met &= mb < 500;
                Console.WriteLine(
                    F(
                        $"evaluate: {t.Questions:N0} questions × {t.Targets} targets = {t.Questions * t.Targets:N0} items, {t.Requests:N0} requests at {t.Latency.TotalMilliseconds:0} ms, concurrency {t.Concurrency}: {t.EndToEnd.TotalSeconds:0.0} s (with the wrapper that reads its memory)"
                    )
                );
                Console.WriteLine(F($"summary: evaluate, 10,000 items, peak RSS  < 500 MB  → {mb:0} MB    ratio {mb / 500:0.00}"));
            }
            if (!args.Contains("--skip-generate"))
            {
                var offline = Path.Combine(RepositoryRoot(), "examples", "offline.yaml");
                var timings = new List<GenerationTiming>();
                var ks = ArgList(args, "--k", [1, 4, 8]);
                foreach (var k in ks)
                {
                    await using var stub = await OpenAIStub.StartAsync(cancellationToken);
                    stub.Latency = latency;
                    var t = await GenerationAtLatency.RunAsync(offline, dir, stub, k, budget, concurrency, cancellationToken);
                    timings.Add(t);
                    Console.WriteLine(
                        F(
                            $"generate k = {k}: {t.Steps} steps in {t.StepSeconds:0.0} s = {t.PerStep:0.00} s per step; seeds scored in {t.SeedSeconds:0.0} s; {t.Kept} questions kept; {t.Requests:N0} requests, at most {t.MaxInFlight} in flight"
                        )
                    );
                }
                var k1 = timings[0].PerStep;
                foreach (var t in timings.Skip(1))
                    Console.WriteLine(
                        F(
                            $"summary: generate k = {t.ArmsPerRound} per step {t.PerStep:0.00} s vs k = {ks[0]} {k1:0.00} s → {k1 / t.PerStep:0.00}× faster"
                        )
                    );
                if (timings.Count > 1)
                {
                    var speedup = k1 / timings[^1].PerStep;
                    met &= speedup >= 5;
                    Console.WriteLine(
                        F(
                            $"summary: generate k = {ks[^1]} vs k = {ks[0]}   ≥ 5× per step       → {speedup:0.00}×      ratio {speedup / 5:0.00}"
                        )
                    );
                }
            }
            Console.WriteLine(F($"latency: load average at the end {RunBench.LoadAverage()}"));
            return met ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

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

    internal static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Adaem.slnx")))
                return d.FullName;
        throw new InvalidOperationException($"no Adaem.slnx above {AppContext.BaseDirectory}");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
