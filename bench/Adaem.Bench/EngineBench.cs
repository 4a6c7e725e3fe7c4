using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Engine;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Providers;
using Microsoft.Extensions.AI;

namespace Adaem.Bench;

/// <summary>
/// The call engine against the loopback stub: throughput at 50 ms model latency and concurrency 16,
/// a fully cached rerun of 10,000 calls, and the engine's own overhead per uncached call.
/// </summary>
public sealed class EngineBench : IBench
{
    public string Name => "engine";
    public string Description => "call engine: throughput vs theoretical, cached rerun, overhead per call";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var dir = Directory.CreateTempSubdirectory("adaem-bench-engine-").FullName;
        try
        {
            await using var stub = await OpenAIStub.StartAsync(ct);
            var config = await WriteConfig(dir, stub);
            var store = AdaemStore.Open(config.StorePath);
            var theory = TheoryLoader.Load("schwartz10", dir);

            var throughput = await Throughput(config, store, theory, stub, ct);
            var cached = await CachedRerun(config, store, theory, ct);
            var overhead = await Overhead(config, store, theory, stub, ct);

            Console.WriteLine();
            Console.WriteLine("summary (target → measured, ratio; a ratio ≥ 1 meets the target)");
            Console.WriteLine(F($"  throughput        ≥ 0.90 of theoretical → {throughput:0.000}        ratio {throughput / 0.9:0.00}"));
            Console.WriteLine(F($"  cached 10k rerun  < 3.00 s              → {cached:0.000} s      ratio {3.0 / cached:0.00}"));
            Console.WriteLine(F($"  overhead/call     < 0.50 ms median      → {overhead:0.000} ms     ratio {0.5 / overhead:0.00}"));
            // Like the other benches: exit 1 when a target is missed, so `all` can say so.
            return throughput >= 0.9 && cached < 3.0 && overhead < 0.5 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<AdaemConfig> WriteConfig(string dir, OpenAIStub stub)
    {
        var path = Path.Combine(dir, "adaem.yaml");
        await File.WriteAllTextAsync(
            path,
            $$"""
            store: adaem.db
            models:
              stub16: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: stub-model, concurrency: 16 }
              stub64: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: stub-model, concurrency: 64 }
              instant: { provider: openai-compatible, base_url: "http://127.0.0.1:9/v1", model: instant, concurrency: 64 }
            """
        );
        return ConfigLoader.Load(path);
    }

    private static ChatOptions Options(string stage, int i) => new CallContext("bench", stage, "bench", "v1", 0).Apply();

    private static List<ChatMessage> Prompt(string stage, int i) =>
        [new(ChatRole.User, $"{stage} prompt {i.ToString(CultureInfo.InvariantCulture)}")];

    /// <summary>Distinct uncached calls through a concurrency-16 model to a stub that answers after 50 ms: calls/s over 16/0.05 =
    /// 320/s.</summary>
    private static async Task<double> Throughput(
        AdaemConfig config,
        AdaemStore store,
        ValueTheory theory,
        OpenAIStub stub,
        CancellationToken ct
    )
    {
        const int calls = 1600,
            concurrency = 16;
        var latency = TimeSpan.FromMilliseconds(50);
        using var pool = new ModelPool(config, store, theory, PriceList.Empty);
        var chat = pool.Chat("stub16");
        stub.Latency = TimeSpan.Zero;
        await Run(chat, "warmup", 64, 16, ct);
        stub.Latency = latency;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await Run(chat, "throughput", calls, 64, ct);
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        stub.Latency = TimeSpan.Zero;
        var achieved = calls / sw.Elapsed.TotalSeconds;
        var theoretical = concurrency / latency.TotalSeconds;
        var slot = sw.Elapsed.TotalMilliseconds * concurrency / calls;
        Console.WriteLine(
            F(
                $"throughput: {calls} calls, stub latency {latency.TotalMilliseconds} ms, concurrency {concurrency}: {sw.Elapsed.TotalSeconds:0.000} s, {achieved:0.0} calls/s of theoretical {theoretical:0} → {achieved / theoretical:0.000}"
            )
        );
        Console.WriteLine(
            F(
                $"throughput: each call held its slot {slot:0.00} ms on average (50 ms of it the stub's wait); CPU {cpu.TotalMilliseconds / calls:0.000} ms per call for engine, SDK and stub together; load average {LoadAverage()}"
            )
        );

        // Control: the bare SDK client, 16 at a time, no engine. What this machine allows right now.
        using var bare = ProviderFactory.Create(config.Models["stub16"], theory);
        using var gate = new SemaphoreSlim(concurrency);
        stub.Latency = latency;
        var swBare = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, calls),
            new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = ct },
            async (i, token) =>
            {
                await gate.WaitAsync(token);
                try
                {
                    await bare.Chat.GetResponseAsync(Prompt("control", i), null, token);
                }
                finally
                {
                    gate.Release();
                }
            }
        );
        swBare.Stop();
        stub.Latency = TimeSpan.Zero;
        var control = calls / swBare.Elapsed.TotalSeconds;
        Console.WriteLine(
            F(
                $"throughput: control without the engine (bare SDK client, 16 at a time): {control:0.0} calls/s → {control / theoretical:0.000} of theoretical; engine/control {achieved / control:0.000}"
            )
        );
        return achieved / theoretical;
    }

    /// <summary>Fills the cache with 10,000 calls, then times a new pool (a rerun) asking all of them again.</summary>
    private static async Task<double> CachedRerun(AdaemConfig config, AdaemStore store, ValueTheory theory, CancellationToken ct)
    {
        const int calls = 10_000;
        using (var fill = new ModelPool(config, store, theory, PriceList.Empty))
        {
            var sw0 = Stopwatch.StartNew();
            await Run(fill.Chat("stub64"), "cached", calls, 64, ct);
            Console.WriteLine(
                F($"cached rerun: filled {calls} calls against the stub (0 ms latency) in {sw0.Elapsed.TotalSeconds:0.00} s")
            );
        }
        using var rerun = new ModelPool(config, store, theory, PriceList.Empty);
        var sw = Stopwatch.StartNew();
        await Run(rerun.Chat("stub64"), "cached", calls, 16, ct);
        sw.Stop();
        var total = rerun.Counters.Total("cached");
        if (total.CacheHits != calls || total.Calls != 0)
            throw new InvalidOperationException($"expected {calls} cache hits, got {total.CacheHits} hits and {total.Calls} calls");
        Console.WriteLine(
            F(
                $"cached rerun: {calls} calls, all cache hits: {sw.Elapsed.TotalSeconds:0.000} s total, {sw.Elapsed.TotalMilliseconds * 1000 / calls:0.0} µs per call"
            )
        );
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The engine's own cost per uncached call, without any model latency: sequential calls through the
    /// whole stack to an in-process provider that answers at once (key, cache miss, limits, retry loop,
    /// ledger write). Also the same against the stub over HTTP, minus the bare SDK client's time.
    /// </summary>
    private static async Task<double> Overhead(
        AdaemConfig config,
        AdaemStore store,
        ValueTheory theory,
        OpenAIStub stub,
        CancellationToken ct
    )
    {
        const int calls = 2000;
        var instant = new InstantChatClient();
        using var pool = new ModelPool(
            config,
            store,
            theory,
            PriceList.Empty,
            new EngineOptions
            {
                ProviderOverride = m =>
                    m.Name == "instant"
                        ? new ProviderClient(new ModelIdentity("instant", "openai-compatible", "in-process", "instant"), instant, null)
                        : null,
            }
        );
        var engine = await Sequential(pool.Chat("instant"), "overhead", calls, ct);
        var engineMedian = Median(engine);
        Console.WriteLine(
            F(
                $"overhead: {calls} uncached calls through the engine to an instant in-process provider: median {engineMedian:0.000} ms, p90 {Percentile(engine, 0.9):0.000} ms"
            )
        );

        using var raw = ProviderFactory.Create(config.Models["stub64"], theory);
        var bare = await Sequential(raw.Chat, "bare", calls, ct);
        var viaEngine = await Sequential(pool.Chat("stub64"), "http", calls, ct);
        Console.WriteLine(
            F(
                $"overhead: against the stub over HTTP, median per call: engine {Median(viaEngine):0.000} ms, bare SDK client {Median(bare):0.000} ms, difference {Median(viaEngine) - Median(bare):0.000} ms"
            )
        );
        return engineMedian;
    }

    private static async Task Run(IChatClient chat, string stage, int calls, int callers, CancellationToken ct) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(0, calls),
            new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = ct },
            async (i, token) => await chat.GetResponseAsync(Prompt(stage, i), Options(stage, i), token)
        );

    private static async Task<double[]> Sequential(IChatClient chat, string stage, int calls, CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
            await chat.GetResponseAsync(Prompt(stage + "-warm", i), Options(stage, i), ct);
        var ms = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await chat.GetResponseAsync(Prompt(stage, i), Options(stage, i), ct);
            ms[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        return ms;
    }

    private static double Median(double[] xs) => Percentile(xs, 0.5);

    private static double Percentile(double[] xs, double q)
    {
        var s = xs.Order().ToArray();
        return s[(int)Math.Min(s.Length - 1, Math.Round(q * (s.Length - 1)))];
    }

    /// <summary>The 1-minute load average (Linux), to judge how busy the machine was.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A provider that answers at once, so what is timed is the engine alone.</summary>
    private sealed class InstantChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) =>
            Task.FromResult(
                new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok " + messages.Last().Text))
                {
                    Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3 },
                }
            );

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
