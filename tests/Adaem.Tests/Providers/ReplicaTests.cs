using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Engine;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Cli;
using Adaem.Tests.Support;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Providers;

/// <summary>
/// A model served by several loopback servers (base_url as a list), through the real engine and a real SQLite
/// store: calls spread over the healthy replicas, a failing one is rested by its circuit breaker (its requests
/// counted), a call that failed on one replica is answered by another, and the cache does not care which
/// replica answered. The breakers' clock is a manual one, so rests end only when a test moves it.
/// </summary>
public sealed class ReplicaTests : IDisposable
{
    private const int Concurrency = 4;
    private readonly TempDir _dir = new();
    private readonly ManualTime _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private AdaemConfig Config(string name, params string[] urls) =>
        ConfigLoader.Load(
            _dir.Write(
                name,
                $$"""
                store: adaem.db
                models:
                  fleet:
                    provider: openai-compatible
                    model: served-model
                    concurrency: {{Concurrency}}
                    max_retries: 3
                    base_url:
                {{string.Join("\n", urls.Select(u => $"      - \"{u}\""))}}
                """
            )
        );

    private ModelPool Pool(AdaemConfig config, AdaemStore store) =>
        new(
            config,
            store,
            TheoryLoader.Load("schwartz10"),
            PriceList.Empty,
            new EngineOptions { Time = _time, Delay = (_, _) => Task.CompletedTask }
        );

    private static async Task<IReadOnlyList<string>> AskAll(ModelPool pool, int calls, int callers = 24)
    {
        var answers = new string[calls];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, calls),
            new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = Ct },
            async (i, ct) =>
            {
                var r = await pool.Chat("fleet")
                    .GetResponseAsync(
                        [new ChatMessage(ChatRole.User, Prompt(i))],
                        new CallContext("r1", "evaluate", "probe", "v1", 0).Apply(),
                        ct
                    );
                answers[i] = r.Text;
            }
        );
        return answers;
    }

    private static string Prompt(int i) => $"question {i}";

    /// <summary>A stub's base URL as the ledger records it (the provider's endpoint, without a trailing slash).</summary>
    private static string Url(OpenAIStub stub) => stub.BaseUrl.ToString().TrimEnd('/');

    private static ReplicaRouter Router(ModelPool pool) => pool.Chat("fleet").GetService<ReplicaRouter>()!;

    [Fact]
    public async Task Three_replicas_with_one_failing_answer_every_call_rest_the_failing_one_share_the_load_and_rerun_from_the_cache()
    {
        await using var a = await OpenAIStub.StartAsync(Ct);
        await using var bad = await OpenAIStub.StartAsync(Ct);
        await using var c = await OpenAIStub.StartAsync(Ct);
        bad.Script = _ => StubReply.Error(500, "replica down");
        var config = Config("adaem.yaml", a.BaseUrl.ToString(), bad.BaseUrl.ToString(), c.BaseUrl.ToString());
        var store = AdaemStore.Open(config.StorePath);
        const int calls = 90;

        using (var pool = Pool(config, store))
        {
            var answers = await AskAll(pool, calls);

            Assert.Equal(Enumerable.Range(0, calls).Select(i => OpenAIStub.AnswerTo(Prompt(i))), answers);
            var breaker = Router(pool).Replicas[1].Breaker;
            Assert.Equal(1, breaker.Rests);
            Assert.NotNull(breaker.RestingUntil);
            // Rested after 3 failures in a row; at most the calls already holding its slots went on to fail.
            Assert.InRange(bad.Count, new BreakerOptions().FailureThreshold, new BreakerOptions().FailureThreshold + Concurrency);
            Assert.Equal(calls, a.Count + c.Count);
            Assert.True(a.Count >= calls / 3 && c.Count >= calls / 3, $"a answered {a.Count}, c {c.Count}");
            Assert.Equal(calls, pool.Counters.Total("evaluate").Calls);
        }

        var servers = store.SummarizeEndpoints("r1").ToDictionary(e => e.Endpoint);
        Assert.Equal(a.Count, servers[Url(a)].Calls);
        Assert.Equal(c.Count, servers[Url(c)].Calls);
        Assert.Equal(0, servers[Url(bad)].Calls);
        Assert.Equal(bad.Count, servers[Url(bad)].Failures);
        // One cache entry per call, keyed by the replica set, not the server.
        var rows = store.ListCalls("r1");
        Assert.Equal(calls, rows.Count(r => r.Error is null));
        Assert.All(rows, r => Assert.Contains("\"endpoint\":\"replicas\"", r.RequestJson));

        // Rerun with the failing replica taken out and the other two swapped: every call is a cache hit.
        var rerun = Config("rerun.yaml", c.BaseUrl.ToString(), a.BaseUrl.ToString());
        var (beforeA, beforeC) = (a.Count, c.Count);
        using (var pool = Pool(rerun, store))
        {
            var again = await AskAll(pool, calls);
            Assert.Equal(Enumerable.Range(0, calls).Select(i => OpenAIStub.AnswerTo(Prompt(i))), again);
            Assert.Equal(calls, pool.Counters.Total("evaluate").CacheHits);
            Assert.Equal(0, pool.Counters.Total("evaluate").Calls);
        }
        Assert.Equal((beforeA, beforeC), (a.Count, c.Count));
    }

    [Fact]
    public async Task A_rested_replica_gets_one_probe_after_its_rest_rests_twice_as_long_when_it_fails_and_takes_calls_again_when_it_answers()
    {
        await using var a = await OpenAIStub.StartAsync(Ct);
        await using var bad = await OpenAIStub.StartAsync(Ct);
        var healthy = false;
        bad.Script = r => Volatile.Read(ref healthy) ? OpenAIStub.Default(r) : StubReply.Error(503, "overloaded");
        var config = Config("adaem.yaml", a.BaseUrl.ToString(), bad.BaseUrl.ToString());
        var store = AdaemStore.Open(config.StorePath);
        using var pool = Pool(config, store);
        var chat = pool.Chat("fleet");
        var n = 0;
        async Task Ask() =>
            await chat.GetResponseAsync(
                [new ChatMessage(ChatRole.User, Prompt(n++))],
                new CallContext("r1", "evaluate", "probe", "v1", 0).Apply(),
                Ct
            );

        // One at a time: the two replicas take turns, so every other call meets the failing one (and is answered by the other).
        while (Router(pool).Replicas[1].Breaker.Rests == 0)
            await Ask();
        Assert.Equal(3, bad.Count);
        for (var i = 0; i < 10; i++)
            await Ask();
        Assert.Equal(3, bad.Count);

        // The rest (5 s) is over: exactly one call probes it, fails, and it rests for 10 s.
        _time.Advance(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10; i++)
            await Ask();
        Assert.Equal(4, bad.Count);
        var breaker = Router(pool).Replicas[1].Breaker;
        Assert.Equal(2, breaker.Rests);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(10), breaker.RestingUntil);

        // Back up: after the longer rest, the probe succeeds and the replica takes its share again.
        Volatile.Write(ref healthy, true);
        _time.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
            await Ask();
        Assert.Null(breaker.RestingUntil);
        Assert.InRange(bad.Count, 4 + 4, 4 + 6);
        Assert.Equal(n, a.Count + bad.Count - 4);
    }

    [Fact]
    public async Task A_replica_that_refuses_connections_is_rested_and_the_others_answer_everything()
    {
        await using var a = await OpenAIStub.StartAsync(Ct);
        await using var c = await OpenAIStub.StartAsync(Ct);
        var closed = $"http://127.0.0.1:{OpenAIStub.ClosedPort()}/v1/";
        var config = Config("adaem.yaml", closed, a.BaseUrl.ToString(), c.BaseUrl.ToString());
        var store = AdaemStore.Open(config.StorePath);
        using var pool = Pool(config, store);

        var answers = await AskAll(pool, 60);

        Assert.Equal(Enumerable.Range(0, 60).Select(i => OpenAIStub.AnswerTo(Prompt(i))), answers);
        Assert.Equal(60, a.Count + c.Count);
        Assert.Equal(1, Router(pool).Replicas[0].Breaker.Rests);
        var refused = store.SummarizeEndpoints("r1").Single(e => e.Endpoint == closed.TrimEnd('/'));
        Assert.Equal(0, refused.Calls);
        Assert.InRange(refused.Failures, 3, 3 + Concurrency);
        Assert.All(store.ListCalls("r1").Where(r => r.Error is not null), r => Assert.StartsWith("Connection", r.Error));
    }

    [Fact]
    public async Task When_every_replica_fails_the_call_fails_after_its_retries_instead_of_waiting_for_ever()
    {
        await using var a = await OpenAIStub.StartAsync(Ct);
        await using var b = await OpenAIStub.StartAsync(Ct);
        a.Script = _ => StubReply.Error(500, "down");
        b.Script = _ => StubReply.Error(500, "down");
        var config = Config("adaem.yaml", a.BaseUrl.ToString(), b.BaseUrl.ToString());
        var store = AdaemStore.Open(config.StorePath);
        using var pool = Pool(config, store);

        var e = await Assert.ThrowsAsync<ModelCallException>(() =>
            pool.Chat("fleet")
                .GetResponseAsync([new ChatMessage(ChatRole.User, "q")], new CallContext("r1", "evaluate", "probe", "v1", 0).Apply(), Ct)
        );

        // max_retries 3: four attempts, alternating between the two servers, none of them rested yet.
        Assert.Equal(4, e.Attempts);
        Assert.Equal(ModelCallFailure.ServerError, e.Failure);
        Assert.Equal((2, 2), (a.Count, b.Count));

        // Both rest after their third failure; the next call's attempts are refused without reaching either server.
        await Assert.ThrowsAsync<ModelCallException>(() =>
            pool.Chat("fleet")
                .GetResponseAsync([new ChatMessage(ChatRole.User, "q2")], new CallContext("r1", "evaluate", "probe", "v1", 0).Apply(), Ct)
        );
        Assert.Equal(6, a.Count + b.Count);
        Assert.Contains(
            store.ListCalls("r1"),
            r => r.Error?.Contains("replicas of model 'fleet' are resting", StringComparison.Ordinal) == true
        );
    }

    [Fact]
    public async Task The_model_offers_the_replicas_limits_added_up_and_one_identity_for_the_set()
    {
        await using var a = await OpenAIStub.StartAsync(Ct);
        var config = Config("adaem.yaml", a.BaseUrl.ToString(), "http://10.0.0.2:8000/v1?api-key=SECRET123456", "http://10.0.0.3:8000/v1");
        using var pool = Pool(config, AdaemStore.Open(config.StorePath));

        Assert.Equal(3 * Concurrency, pool.Chat("fleet").GetService<ModelCapacity>()!.Concurrency);
        Assert.Equal(ReplicaSet.Endpoint, pool.Resolve("fleet").Endpoint);
        Assert.DoesNotContain("10.0.0", pool.Identity("fleet"), StringComparison.Ordinal);
        Assert.Equal("http://10.0.0.2:8000/v1?api-key=[redacted]", Router(pool).Replicas[1].Endpoint);
        Assert.Equal("...[redacted]...", pool.Scrubber.Scrub("...SECRET123456..."));
    }
}
