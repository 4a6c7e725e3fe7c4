using Adaem.Core.Models;
using Adaem.Storage;
using Adaem.Tests.Support;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Providers;

/// <summary>
/// The engine's claims on calls in flight, with two pools on one store that hold different process tokens
/// (two processes as far as the store can tell), real HTTP to the loopback stub and a real SQLite file.
/// </summary>
public sealed class CallsInFlightEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_another_process_is_making_is_waited_for_and_its_answer_shared()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        var held = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = held.Task };
        using var a = h.NewPool(processToken: "process-a");
        using var b = h.NewPool(processToken: "process-b");

        var first = h.AskAsync("Should ferries be free?", pool: a);
        await h.Stub.WaitForRequestsAsync(1, Ct); // a has claimed the call and is asking it
        Assert.Equal(["process-a"], h.Store.ListCallsInFlight().Select(c => c.Token));
        var second = h.AskAsync("Should ferries be free?", pool: b);
        held.SetResult();

        var (x, y) = (await first, await second);
        Assert.Equal(x.Text, y.Text);
        Assert.Equal(1, h.Stub.CountOf("Should ferries be free?"));
        Assert.Equal((1, 0), (a.Counters.Total("stage-a").Calls, a.Counters.Total("stage-a").CacheHits));
        Assert.Equal((0, 1), (b.Counters.Total("stage-a").Calls, b.Counters.Total("stage-a").CacheHits));
        Assert.Empty(h.Store.ListCallsInFlight()); // released with the answer
    }

    [Fact]
    public async Task A_claim_released_without_an_answer_is_claimed_and_asked_by_the_waiting_process()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        var held = new TaskCompletionSource();
        h.Stub.Script = r =>
            r.Number == 1 ? StubReply.Error(400, "bad request", "invalid_request_error") with { Gate = held.Task } : OpenAIStub.Default(r);
        using var a = h.NewPool(processToken: "process-a");
        using var b = h.NewPool(processToken: "process-b");

        var first = h.AskAsync("Should ferries be free?", pool: a);
        await h.Stub.WaitForRequestsAsync(1, Ct);
        var second = h.AskAsync("Should ferries be free?", pool: b);
        held.SetResult();

        await Assert.ThrowsAsync<ModelCallException>(() => first);
        var answer = await second;
        Assert.Equal(OpenAIStub.AnswerTo("Should ferries be free?"), answer.Text);
        Assert.Equal(2, h.Stub.CountOf("Should ferries be free?"));
        Assert.Empty(h.Store.ListCallsInFlight());
    }

    [Fact]
    public async Task An_embedding_another_process_is_making_is_waited_for_and_shared()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        var held = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = held.Task };
        using var a = h.NewPool(processToken: "process-a");
        using var b = h.NewPool(processToken: "process-b");
        var options = new EmbeddingGenerationOptions
        {
            AdditionalProperties = new AdditionalPropertiesDictionary { [CallContext.RunKey] = "r1", [CallContext.StageKey] = "dedup" },
        };

        var first = a.Embeddings("stub")!.GenerateAsync(["alpha", "beta"], options, Ct);
        await h.Stub.WaitForRequestsAsync(1, Ct);
        // b needs one text a is embedding ("beta") and one of its own ("gamma"): it asks only for gamma.
        var second = b.Embeddings("stub")!.GenerateAsync(["beta", "gamma"], options, Ct);
        await h.Stub.WaitForRequestsAsync(2, Ct);
        held.SetResult();

        var (x, y) = (await first, await second);
        Assert.Equal(OpenAIStub.VectorOf("beta"), y[0].Vector.ToArray());
        Assert.Equal(OpenAIStub.VectorOf("gamma"), y[1].Vector.ToArray());
        Assert.Equal(x[1].Vector.ToArray(), y[0].Vector.ToArray());
        Assert.Equal(
            [
                ["alpha", "beta"],
                ["gamma"],
            ],
            h.Stub.Requests.OrderBy(r => r.Number).Select(r => r.Inputs.ToArray())
        );
        Assert.Equal(1, b.Counters.Total("dedup").CacheHits);
        Assert.Empty(h.Store.ListCallsInFlight());
    }

    [Fact]
    public async Task Claims_held_by_a_slow_call_are_kept_alive_by_the_heartbeat()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        var held = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = held.Task };
        using var a = new Adaem.Providers.ModelPool(
            h.Config,
            h.Store,
            Adaem.Core.Theory.TheoryLoader.Load("schwartz10", h.Dir),
            Adaem.Providers.Pricing.PriceList.Empty,
            new Adaem.Providers.EngineOptions
            {
                ProcessToken = "process-a",
                LeaseTiming = new LeaseTiming(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)),
            }
        );
        var call = h.AskAsync("Should ferries be free?", pool: a);
        await h.Stub.WaitForRequestsAsync(1, Ct);
        var claimed = h.Store.ListCallsInFlight().Single();

        await Poll.UntilAsync(
            () => h.Store.ListCallsInFlight().Single().HeartbeatAt != claimed.HeartbeatAt,
            "the claim's heartbeat to move",
            deadline: TimeSpan.FromSeconds(30)
        );
        held.SetResult();
        await call;
        Assert.Empty(h.Store.ListCallsInFlight());
    }
}
