using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Pipeline;
using Adaem.Providers;
using Adaem.Providers.Engine;
using Adaem.Providers.Pricing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Adaem.Bench;

/// <summary>
/// `scale`: the evaluation of the paper's size — 12,310 questions × 16 targets, each answer judged (batched), about
/// 394,000 model calls — through the library (Study.EvaluateAsync) and the real call engine (ledger and durable cache,
/// limits, retries, a real SQLite store), against in-process models that answer at once. Prints calls per second,
/// peak working set (target under 1 GB), store bytes per call, the time of the scoring and of `report` on the result,
/// and, from a run at a tenth of the size, whether time, store size and USD grow linearly with the calls.
/// Options: --fraction F (default 1: runs F/10 and F of the paper's questions), --keep (leave the temp folders).
/// </summary>
public sealed class ScaleBench : IBench
{
    public const int PaperQuestions = 12_310;
    public const int Targets = 16;
    private const double MemoryTargetMb = 1024;

    public string Name => "scale";
    public string Description =>
        "evaluation at the paper's scale (12,310 questions x 16 targets, ~394,000 calls) through the engine and SQLite; memory, store, report";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var i = Array.IndexOf(args, "--fraction");
        var fraction = i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1.0;
        var keep = args.Contains("--keep");
        if (fraction is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(args), "--fraction takes a number in (0, 1]");

        Console.WriteLine(F($"scale: {Targets} targets + a batched judge, engine concurrency 64 per model, load average {Load()}"));
        var small = await OneRunAsync((int)Math.Round(PaperQuestions * fraction / 10), keep, cancellationToken);
        var large = await OneRunAsync((int)Math.Round(PaperQuestions * fraction), keep, cancellationToken);

        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine();
        Console.WriteLine(
            F(
                $"linearity ({large.Calls:N0} calls against {small.Calls:N0}: ×{(double)large.Calls / small.Calls:0.00}; 1.00 below = linear):"
            )
        );
        Console.WriteLine(
            F($"  time of the calls per call        ×{large.CallSeconds / large.Calls / (small.CallSeconds / small.Calls):0.00}")
        );
        Console.WriteLine(
            F($"  whole evaluate per call           ×{large.EvaluateSeconds / large.Calls / (small.EvaluateSeconds / small.Calls):0.00}")
        );
        Console.WriteLine(
            F(
                $"  store bytes per call              ×{(double)large.StoreBytes / large.Calls / ((double)small.StoreBytes / small.Calls):0.00}"
            )
        );
        Console.WriteLine(F($"  USD per call                      ×{large.Usd / large.Calls / (small.Usd / small.Calls):0.00}"));
        Console.WriteLine(
            F(
                $"peak working set: {peakMb:0} MB  target < {MemoryTargetMb:0} MB  ratio {peakMb / MemoryTargetMb:0.000}; load average {Load()}"
            )
        );
        return peakMb < MemoryTargetMb ? 0 : 1;
    }

    private sealed record Outcome(
        long Calls,
        double CallSeconds,
        double EvaluateSeconds,
        double ReportSeconds,
        long StoreBytes,
        double Usd
    );

    private static async Task<Outcome> OneRunAsync(int questions, bool keep, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("adaem-bench-scale-").FullName;
        try
        {
            var config = WriteStudy(dir, questions);
            var options = new StudyOptions
            {
                Models = (cfg, theory, store) =>
                    new ModelPool(
                        cfg,
                        store,
                        theory,
                        PriceList.ForConfig(cfg),
                        new EngineOptions
                        {
                            ProviderOverride = m => new ProviderClient(
                                new ModelIdentity(m.Name, m.Provider, "in-process", m.Model ?? m.Name),
                                new InstantModel(m.Name),
                                null
                            ),
                        }
                    ),
            };
            using var study = Study.Open(config, options);
            var set = await study.LoadQuestionsAsync(Path.Combine(dir, "questions.jsonl"), null, ct);
            var progress = new LastAnswer();
            var clock = Stopwatch.StartNew();
            EvaluateResult result;
            Memory evaluateMemory,
                reportMemory;
            using (var sampler = new MemorySampler())
            {
                result = await study.EvaluateAsync(set, progress, ct);
                evaluateMemory = sampler.Peak;
            }
            var evaluate = clock.Elapsed.TotalSeconds;
            var calls = progress.Calls?.Total();
            var failed = result.Failed;
            result = null!; // `adaem report` runs in a process of its own: it does not hold the evaluation's answers
            // Nor does the stack of the evaluation's last model call, which this method still runs on (Study.ReportAsync leaves it
            // too); nor the memory the collector keeps committed after evaluation: handed back here, the report's peak is its own.
            await Task.Yield();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var reportStartHeapMb = GC.GetTotalMemory(false) / 1048576.0;
            double reportStartMb;
            using (var p = Process.GetCurrentProcess())
                reportStartMb = p.WorkingSet64 / 1048576.0;
            clock.Restart();
            using (var sampler = new MemorySampler())
            {
                await study.ReportAsync(null, ct);
                reportMemory = sampler.Peak;
            }
            var report = clock.Elapsed.TotalSeconds;

            var storePath = ConfigLoader.Load(config).StorePath;
            SqliteConnection.ClearAllPools();
            using (var c = new SqliteConnection($"Data Source={storePath}"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                cmd.ExecuteNonQuery();
            }
            SqliteConnection.ClearAllPools();
            var bytes = new FileInfo(storePath).Length + (File.Exists(storePath + "-wal") ? new FileInfo(storePath + "-wal").Length : 0);
            var made = calls?.Calls ?? 0;
            var callSeconds = progress.LastAnswerSeconds ?? evaluate;
            Console.WriteLine(
                F(
                    $"{questions:N0} questions × {Targets} targets: {made:N0} calls made, {calls?.CacheHits ?? 0:N0} cache hits, {failed:N0} failed answers"
                )
            );
            Console.WriteLine(
                F($"  calls (answers and judgments, until the last answer was judged): {callSeconds:0.0} s, {made / callSeconds:0} calls/s")
            );
            Console.WriteLine(F($"  scoring and files after that: {evaluate - callSeconds:0.0} s; evaluate in all {evaluate:0.0} s"));
            Console.WriteLine(F($"  report (HTML, charts, 999 permutations per model pair): {report:0.0} s"));
            Console.WriteLine(
                F(
                    $"  store: {bytes / 1048576.0:0.0} MB, {(double)bytes / made:0} bytes per call; cost {calls?.KnownCost ?? 0:0.0000} USD ({(calls?.KnownCost ?? 0) / made * 1e6:0.00} USD per million calls)"
                )
            );
            Console.WriteLine(
                F($"  memory: evaluate peak working set {evaluateMemory.WorkingSetMb:0} MB (managed heap {evaluateMemory.HeapMb:0} MB), ")
                    + F(
                        $"report {reportMemory.WorkingSetMb:0} MB (heap {reportMemory.HeapMb:0} MB; {reportStartMb:0} MB as it began, heap {reportStartHeapMb:0} MB); "
                    )
                    + F($"load average {Load()}")
            );
            return new Outcome(made, callSeconds, evaluate, report, bytes, calls?.KnownCost ?? 0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep)
                Console.WriteLine($"  kept {dir}");
            else
                Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A study of <paramref name="questions"/> synthetic questions, 16 targets and a judge, each a distinct in-process model with
    /// a price.</summary>
    private static string WriteStudy(string dir, int questions)
    {
        var models = new StringBuilder();
        var prices = new StringBuilder();
        for (var t = 0; t < Targets; t++)
        {
            models.Append(
                F(
                    $"  t{t:D2}: {{ provider: openai-compatible, base_url: \"http://127.0.0.1:9/v1\", model: instant-{t:D2}, concurrency: 64 }}\n"
                )
            );
            prices.Append(F($"instant-{t:D2}: {{ input: 0.50, output: 1.50 }}\n"));
        }
        models.Append(
            "  judge: { provider: openai-compatible, base_url: \"http://127.0.0.1:9/v1\", model: instant-judge, concurrency: 64 }\n"
        );
        prices.Append("instant-judge: { input: 2.50, output: 10.00 }\n");
        File.WriteAllText(Path.Combine(dir, "pricing.yaml"), prices.ToString());
        var targets = string.Join(", ", Enumerable.Range(0, Targets).Select(t => F($"t{t:D2}")));
        var config = Path.Combine(dir, "adaem.yaml");
        File.WriteAllText(
            config,
            $"store: adaem.db\npricing: pricing.yaml\nmodels:\n{models}judge: {{ model: judge }}\nevaluation: {{ targets: [{targets}] }}\n"
        );
        string[] topics =
        [
            "public transport",
            "the police",
            "care for the elderly",
            "a new stadium",
            "free school meals",
            "street lighting",
            "nuclear power",
            "zoos",
        ];
        File.WriteAllLines(
            Path.Combine(dir, "questions.jsonl"),
            Enumerable
                .Range(0, questions)
                .Select(q =>
                    JsonSerializer.Serialize(
                        new
                        {
                            id = F($"q{q:D5}"),
                            question = F(
                                $"Should the town of Example-{q} spend {q % 37 + 3} percent of its budget on {topics[q % topics.Length]} even if taxes rise?"
                            ),
                        }
                    )
                )
        );
        return config;
    }

    private sealed record Memory(double WorkingSetMb, double HeapMb);

    /// <summary>Samples the process's working set and managed heap every 50 ms, keeping the largest of each.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _workingSet;
        private long _heap;

        public MemorySampler()
        {
            Sample();
            _timer = new Timer(_ => Sample(), null, 50, 50);
        }

        public Memory Peak
        {
            get
            {
                Sample();
                return new Memory(Interlocked.Read(ref _workingSet) / 1048576.0, Interlocked.Read(ref _heap) / 1048576.0);
            }
        }

        private void Sample()
        {
            using var p = Process.GetCurrentProcess();
            Max(ref _workingSet, p.WorkingSet64);
            Max(ref _heap, GC.GetTotalMemory(false));
        }

        private static void Max(ref long slot, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref slot)) && Interlocked.CompareExchange(ref slot, value, seen) != seen) { }
        }

        public void Dispose() => _timer.Dispose();
    }

    private static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>Notes the engine's counters and when the last answer of the phase was judged.</summary>
    private sealed class LastAnswer : IProgress<StageEvent>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _total = -1;
        private double? _done;

        public ICallStatistics? Calls { get; private set; }

        public double? LastAnswerSeconds => _done;

        public void Report(StageEvent value)
        {
            switch (value)
            {
                case ModelsReady ready:
                    Calls = ready.Calls;
                    break;
                case PhaseStarted started:
                    _total = started.Total;
                    break;
                case PhaseProgressed p when p.Done >= _total && _total >= 0:
                    _done ??= _clock.Elapsed.TotalSeconds;
                    break;
            }
        }
    }

    /// <summary>
    /// A model that answers at once, in adaem's formats, with text that depends on the model and the prompt (so no two
    /// judge prompts are alike and none is a cache hit): a stance and three key points, or the judge's JSON.
    /// </summary>
    private sealed class InstantModel(string name) : IChatClient
    {
        private static readonly string[] Codes = [.. Adaem.Testing.ScriptedJudging.ValueCodes];

        public Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
            var prompt = list[^1].Text;
            var h = Fnv(name + prompt);
            var role = CallContext.From(options)?.PromptRole;
            var text =
                role == PromptRoles.JudgeBatched
                    ? F(
                        $"{{\"opinions\":[{{\"index\":1,\"values\":[\"{Codes[h % 10]}\"]}},{{\"index\":2,\"values\":[]}},{{\"index\":3,\"values\":[\"{Codes[(h >> 8) % 10]}\",\"{Codes[(h >> 16) % 10]}\"]}}]}}"
                    )
                    : F(
                        $"Stance: {((h & 1) == 0 ? "yes" : "no")}\nKey Points:\n1. Fairness {h % 1000}: everyone should carry a share of the cost, and {name} thinks the budget must be open to all.\n2. Safety {(h >> 10) % 1000}: people should feel protected in their daily lives, which matters more than a small tax.\n3. Tradition {(h >> 20) % 1000}: the town has done this for a long time and changing it would upset the community."
                    );
            var input = list.Sum(m => m.Text.Length) / 4;
            return Task.FromResult(
                new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
                {
                    Usage = new UsageDetails
                    {
                        InputTokenCount = input,
                        OutputTokenCount = text.Length / 4,
                        TotalTokenCount = input + text.Length / 4,
                    },
                }
            );
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        /// <summary>FNV-1a, 64 bits: a quick stable hash of the prompt.</summary>
        private static ulong Fnv(string s)
        {
            var h = 14695981039346656037UL;
            foreach (var c in s)
            {
                h ^= c;
                h *= 1099511628211UL;
            }
            return h;
        }

        public void Dispose() { }
    }
}
