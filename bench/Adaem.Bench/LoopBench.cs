using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Storage;
using Adaem.Testing;

namespace Adaem.Bench;

/// <summary>
/// Overhead of one bandit step excluding model latency (target under 5 ms): the real loop, real SQLite
/// store (WAL, one transaction per step), real dedup and scoring, with a zero-latency scripted pool and
/// scripted judging. N2 = 3, up to 3 refinements, 2 explorers, 4 scorers, 30 arms. Prints the mean and
/// median time per step, the ratio to the target, and the time to rebuild the state on resume.
/// </summary>
public sealed class LoopBench : IBench
{
    public string Name => "loop";
    public string Description => "overhead of one bandit step without model latency, resume rebuild";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var budget = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var dir = Directory.CreateTempSubdirectory("adaem-loopbench-").FullName;
        try
        {
            var store = AdaemStore.Open(Path.Combine(dir, "bench.db"));
            var config = new GenerationConfig
            {
                Explorers = ["e1", "e2"],
                Scorers = ["e1", "e2", "s3", "s4"],
                Budget = budget,
                MaxArms = 30,
                Seed = 1,
            };
            var seeds = SeedSources.LoadBuiltin();
            var progress = new StepTimer();
            var pool = new ScriptedPool("e1", "e2", "s3", "s4");
            var judging = new ScriptedJudging();

            // Warm-up run in its own store so JIT time does not count.
            var warm = AdaemStore.Open(Path.Combine(dir, "warm.db"));
            await new GenerationLoop(
                new GenerationSettings("warm", config) { Budget = 20 },
                pool,
                judging,
                new LocalOpinionSimilarity(),
                warm
            ).RunAsync(seeds, cancellationToken);

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var total = Stopwatch.StartNew();
            var summary = await new GenerationLoop(
                new GenerationSettings("main", config),
                pool,
                judging,
                new LocalOpinionSimilarity(),
                store,
                progress
            ).RunAsync(seeds, cancellationToken);
            total.Stop();
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;

            var rebuild = Stopwatch.StartNew();
            var state = GenerationState.Rebuild(store.LoadArms("main"), store.LoadQuestions("main"), store.LoadSteps("main"), 3);
            rebuild.Stop();

            var steps = progress.StepTimes.ToArray();
            Array.Sort(steps);
            var median = steps[steps.Length / 2];
            var mean = steps.Average();
            var p95 = steps[(int)(steps.Length * 0.95)];
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"loop: {summary.StepsDone} steps over {summary.Arms} arms, {summary.Kept} kept, {summary.Dropped} dropped; {pool.Asked} model calls, {judging.Answers} scripted answers (zero latency)"
                )
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"loop: per step mean {mean:0.000} ms, median {median:0.000} ms, p95 {p95:0.000} ms; target 5 ms → median is {median / 5.0:0.000}x the target"
                )
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"loop: CPU time of the whole run (all threads, incl. seed scoring) / steps = {cpu / summary.StepsDone:0.000} ms per step (insensitive to other processes on the machine)"
                )
            );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"loop: whole run {total.Elapsed.TotalMilliseconds:0} ms incl. {summary.Arms} seed scorings; resume rebuild of {state.StepsDone} steps {rebuild.Elapsed.TotalMilliseconds:0.0} ms"
                )
            );
            return median < 5.0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class StepTimer : IGenerationProgress
    {
        private long _last;
        public List<double> StepTimes { get; } = [];

        public void SeedsStarted(int total, int alreadyScored) { }

        public void SeedScored(string arm, double? score) { }

        public void StepsStarted(int budget, int alreadyDone) => _last = Stopwatch.GetTimestamp();

        public void StepFinished(StepSummary step)
        {
            var now = Stopwatch.GetTimestamp();
            StepTimes.Add(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds);
            _last = now;
        }

        public void Warning(string message) { }
    }
}
