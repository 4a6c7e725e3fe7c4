using System.Text.Json;
using Adaem.Core.Models;
using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>The durable cache: what is a hit, what is a new call, and what never reaches the provider.</summary>
public sealed class EngineCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_request_twice_calls_the_provider_once()
    {
        await using var h = await EngineHarness.StartAsync();

        var first = await h.AskAsync("q");
        var second = await h.AskAsync("q");

        Assert.Equal(1, h.Stub.Count);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(false, first.AdditionalProperties![LedgerChatClient.CachedProperty]);
        Assert.Equal(true, second.AdditionalProperties![LedgerChatClient.CachedProperty]);
        Assert.Equal(
            first.AdditionalProperties[LedgerChatClient.CallKeyProperty],
            second.AdditionalProperties[LedgerChatClient.CallKeyProperty]
        );
        var counts = h.Pool.Counters.Total("stage-a");
        Assert.Equal(1, counts.Calls);
        Assert.Equal(1, counts.CacheHits);
    }

    [Fact]
    public async Task Another_sample_index_is_a_new_call()
    {
        await using var h = await EngineHarness.StartAsync();

        await h.AskAsync("q", sample: 0);
        await h.AskAsync("q", sample: 1);
        await h.AskAsync("q", sample: 1);

        Assert.Equal(2, h.Stub.Count);
        Assert.Equal(2, h.Store.CountCalls());
    }

    [Fact]
    public async Task Sampling_options_and_prompt_version_are_part_of_the_key()
    {
        await using var h = await EngineHarness.StartAsync();
        var chat = h.Pool.Chat("stub");
        List<ChatMessage> prompt = [new(ChatRole.User, "q")];

        await chat.GetResponseAsync(prompt, EngineHarness.Context().Apply(new ChatOptions { Temperature = 0.2f }), Ct);
        await chat.GetResponseAsync(prompt, EngineHarness.Context().Apply(new ChatOptions { Temperature = 0.7f }), Ct);
        await chat.GetResponseAsync(prompt, EngineHarness.Context(version: "v2").Apply(new ChatOptions { Temperature = 0.7f }), Ct);
        await chat.GetResponseAsync(prompt, EngineHarness.Context(version: "v2").Apply(new ChatOptions { Temperature = 0.7f }), Ct);

        Assert.Equal(3, h.Stub.Count);
    }

    [Fact]
    public async Task A_finished_call_is_served_from_the_store_by_a_new_pool()
    {
        await using var h = await EngineHarness.StartAsync();
        await h.AskAsync("q");

        using var rerun = h.NewPool();
        var again = await h.AskAsync("q", pool: rerun);

        Assert.Equal(1, h.Stub.Count);
        Assert.Equal(OpenAIStub.AnswerTo("q"), again.Text);
        Assert.Equal(1, rerun.Counters.Total().CacheHits);
        Assert.Equal(0, rerun.Counters.Total().Calls);
    }

    [Fact]
    public async Task Errors_are_recorded_but_never_served_from_the_cache()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        h.Stub.Script = r => r.PromptCount == 1 ? StubReply.Error(500) : OpenAIStub.Default(r);

        await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));
        var reply = await h.AskAsync("q");

        Assert.Equal(OpenAIStub.AnswerTo("q"), reply.Text);
        Assert.Equal(2, h.Stub.Count);
        Assert.Equal([true, false], h.Rows().Select(r => r.Error is not null));
    }

    [Fact]
    public async Task Concurrent_identical_misses_call_the_provider_once()
    {
        await using var h = await EngineHarness.StartAsync("concurrency: 8");
        var open = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = open.Task };

        var asks = Enumerable.Range(0, 8).Select(_ => h.AskAsync("same")).ToList();
        await h.Stub.WaitForRequestsAsync(1, Ct);
        open.SetResult();
        var replies = await Task.WhenAll(asks);

        Assert.Equal(1, h.Stub.Count);
        Assert.All(replies, r => Assert.Equal(OpenAIStub.AnswerTo("same"), r.Text));
        Assert.Equal(1, h.Store.CountCalls(includeErrors: true));
        Assert.Equal(7, h.Pool.Counters.Total().CacheHits);
    }

    [Fact]
    public async Task The_ledger_keeps_run_stage_usage_latency_and_no_call_context()
    {
        await using var h = await EngineHarness.StartAsync("temperature: 0.4, max_tokens: 300, seed: 7");
        var schema = JsonDocument
            .Parse("""{"type":"object","properties":{"values":{"type":"array","items":{"type":"string"}}},"required":["values"]}""")
            .RootElement;

        var ctx = EngineHarness.Context() with { Fields = JsonDocument.Parse("""{"question":"secret-free field"}""").RootElement };
        await h
            .Pool.Chat("stub")
            .GetResponseAsync(
                [new ChatMessage(ChatRole.User, "q")],
                ctx.Apply(new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "judgment") }),
                Ct
            );

        var row = Assert.Single(h.Rows());
        Assert.Equal("r1", row.Run);
        Assert.Equal("stage-a", row.Stage);
        Assert.Equal("stub", row.Model);
        Assert.Equal("openai-compatible", row.Provider);
        Assert.Equal(10, row.InputTokens);
        Assert.Equal(5, row.OutputTokens);
        Assert.True(row.LatencyMs > 0);
        Assert.Null(row.Cost); // no price list: unknown, not 0
        // What the provider saw: config defaults and the JSON schema, but none of the adaem.* context.
        var sent = Assert.Single(h.Stub.Requests);
        Assert.DoesNotContain("adaem", sent.RawBody);
        Assert.Equal(0.4, sent.Body!["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(7, sent.Body["seed"]!.GetValue<int>());
        Assert.Equal("json_schema", sent.Body["response_format"]!["type"]!.GetValue<string>());
        // The ledger's request is the canonical key input: it names the sample and prompt schema.
        var request = JsonDocument.Parse(row.RequestJson).RootElement;
        Assert.Equal(0, request.GetProperty("sample").GetInt32());
        Assert.Equal("probe@v1", request.GetProperty("prompt_schema").GetString());
        Assert.Equal("json_schema", request.GetProperty("options").GetProperty("response_format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_concurrency_limit_holds_calls_in_flight_to_the_limit()
    {
        await using var h = await EngineHarness.StartAsync("concurrency: 2");
        var open = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = open.Task };

        var asks = Enumerable.Range(0, 6).Select(i => h.AskAsync($"q{i}")).ToList();
        await h.Stub.WaitForRequestsAsync(2, Ct);
        // Two requests are held at the stub; the other four wait for a slot, so a third cannot have arrived.
        Assert.Equal(2, h.Stub.Count);
        open.SetResult();
        await Task.WhenAll(asks);

        Assert.Equal(6, h.Stub.Count);
        Assert.Equal(2, h.Stub.MaxInFlight);
    }

    [Fact]
    public async Task The_rpm_bucket_lets_one_request_through_and_holds_the_next()
    {
        using var limits = new ModelLimits(concurrency: 4, rpm: 1, tpm: null);

        var first = limits.AcquireAsync(1, Ct);
        Assert.True(first.IsCompleted);
        (await first).Dispose();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var second = limits.AcquireAsync(1, cts.Token).AsTask();
        Assert.False(second.IsCompleted); // the next token comes a minute later
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }
}
