using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Storage;
using Microsoft.Extensions.AI;

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
            var pool = new ZeroLatencyPool();
            var judging = new ZeroLatencyJudging();

            // Warm-up run in its own store so JIT time does not count.
            var warm = AdaemStore.Open(Path.Combine(dir, "warm.db"));
            await new GenerationLoop(new GenerationSettings("warm", config) { Budget = 20 }, pool, judging, new LocalOpinionSimilarity(), warm)
                .RunAsync(seeds, cancellationToken);

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var total = Stopwatch.StartNew();
            var summary = await new GenerationLoop(new GenerationSettings("main", config), pool, judging, new LocalOpinionSimilarity(), store, progress)
                .RunAsync(seeds, cancellationToken);
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
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loop: {summary.StepsDone} steps over {summary.Arms} arms, {summary.Kept} kept, {summary.Dropped} dropped; {pool.Calls} model calls, {judging.Answers} scripted answers (zero latency)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loop: per step mean {mean:0.000} ms, median {median:0.000} ms, p95 {p95:0.000} ms; target 5 ms → median is {median / 5.0:0.000}x the target"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loop: CPU time of the whole run (all threads, incl. seed scoring) / steps = {cpu / summary.StepsDone:0.000} ms per step (insensitive to other processes on the machine)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"loop: whole run {total.Elapsed.TotalMilliseconds:0} ms incl. {summary.Arms} seed scorings; resume rebuild of {state.StepsDone} steps {rebuild.Elapsed.TotalMilliseconds:0.0} ms"));
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

    private static uint Hash(params object[] parts)
    {
        var h = 2166136261u;
        foreach (var p in parts)
        {
            foreach (var c in Convert.ToString(p, CultureInfo.InvariantCulture) ?? "") { h ^= c; h *= 16777619u; }
            h ^= 0x1F; h *= 16777619u;
        }
        return h;
    }

    private static readonly string[] Words =
    [
        "farmers", "pensions", "drones", "festivals", "rivers", "tariffs", "clinics", "villages", "startups", "miners", "libraries", "ferries",
        "bakeries", "nurses", "islands", "railways", "theatres", "vineyards", "fisheries", "harbours", "deserts", "glaciers", "monks", "sailors",
        "teachers", "coders", "judges", "soldiers", "poets", "refugees", "landlords", "tenants", "surgeons", "pilots", "herders", "weavers",
    ];

    private static string W(uint h, int k) => Words[(int)((h >> (k * 5)) % (uint)Words.Length)];

    private sealed class ZeroLatencyClient(string name) : IChatClient
    {
        public int Calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            var ctx = CallContext.From(options)!;
            var f = ctx.Fields!.Value;
            string S(string k) => f.TryGetProperty(k, out var v) ? v.GetString() ?? "" : "";
            var h = Hash(name, ctx.PromptRole, f.GetRawText(), ctx.Sample);
            var text = ctx.PromptRole switch
            {
                PromptRoles.ExploreContext => $"[Information]: {W(h, 0)} and {W(h, 1)} near {W(h, 2)}",
                PromptRoles.ExploreQuestion => $"[Argument]: {W(h, 0)} matter\n[Question]: Should {W(h, 0)} fund {W(h, 1)} for {W(h, 2)} and {W(h, 3)}?",
                PromptRoles.Reflect => $"[Suggestions]: mention {W(h, 0)}",
                PromptRoles.Refine => $"[Question]: {S("question").TrimEnd('?')} despite {W(h, 4)}?",
                PromptRoles.Safety => "safe",
                _ => $"[Question]: {S("argument")}?",
            };
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class ZeroLatencyPool : IModelPool
    {
        private readonly Dictionary<string, ZeroLatencyClient> _clients = new[] { "e1", "e2", "s3", "s4" }.ToDictionary(n => n, n => new ZeroLatencyClient(n));
        public IReadOnlyCollection<string> Names => _clients.Keys;
        public int Calls => _clients.Values.Sum(c => c.Calls);
        public IChatClient Chat(string modelName) => _clients[modelName];
        public IEmbeddingGenerator<string, Embedding<float>>? Embeddings(string modelName) => null;
    }

    private sealed class ZeroLatencyJudging : IOpinionJudging
    {
        private static readonly string[] Codes =
            ["self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity", "tradition", "benevolence", "universalism"];

        public int Answers;

        public Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(string run, string purpose, Question question, IReadOnlyList<string> models, CancellationToken cancellationToken)
        {
            var list = new List<JudgedResponse>(models.Count);
            foreach (var m in models)
            {
                Interlocked.Increment(ref Answers);
                var h = Hash(question.Text, m);
                var opinions = new List<Opinion>(3);
                var values = new List<IReadOnlySet<string>>(3);
                for (var k = 0; k < 3; k++)
                {
                    var hk = Hash(h, k);
                    opinions.Add(new Opinion($"{W(hk, 0)} matter", $"because {W(hk, 1)} and {W(hk, 2)}"));
                    values.Add(new HashSet<string> { Codes[hk % 10], Codes[(hk / 10) % 10] });
                }
                list.Add(new JudgedResponse(question.Id, m, 0, new ParsedResponse(Stances.Yes, opinions), values));
            }
            return Task.FromResult<IReadOnlyList<JudgedResponse>>(list);
        }

        public Task<IReadOnlySet<string>> JudgeQuestionAsync(string run, string purpose, Question question, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(new HashSet<string> { Codes[Hash(question.Text) % 10] });
    }
}
