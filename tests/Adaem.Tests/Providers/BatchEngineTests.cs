using System.Text.Json.Nodes;
using Adaem.Core.Models;
using Adaem.Providers.Batching;
using Adaem.Providers.Engine;
using Adaem.Providers.Pricing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>
/// Batch mode through the whole engine (ModelPool, real SQLite store) against loopback stubs of the two batch
/// wire formats: OpenAI's (also Azure OpenAI's, under /openai/v1/) and Anthropic's Message Batches. Batches
/// are sent when batch_max calls wait (a count the test controls), looked at every 20 ms of real time, and end
/// when the stub lets them.
/// </summary>
public sealed class BatchEngineTests
{
    private const string Key = "sk-batch-4b1e9d0c7a2f5e83";
    private const string KeyVariable = "BATCH_TEST_KEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => ["openai", "azure-openai", "anthropic"];

    private static async Task<(EngineHarness H, BatchStub Stub)> Start(
        string provider,
        int batchMax,
        string extra = "",
        PriceList? pricing = null,
        TimeProvider? time = null
    )
    {
        var options =
            $"batch: true, batch_max: {batchMax}, batch_window_s: 3600, batch_poll_s: 0.02, max_retries: 2, api_key_env: {KeyVariable}"
            + (provider == "azure-openai" ? ", deployment: stub-deployment" : "")
            + extra;
        var h = await EngineHarness.StartAsync(
            options,
            provider: provider,
            pricing: pricing,
            environment: env => env[KeyVariable] = Key,
            batchTime: time
        );
        return (h, new BatchStub(h.Stub));
    }

    private static string ModelId(string provider) => provider == "azure-openai" ? "stub-deployment" : "stub-model";

    /// <summary>Asks every prompt at once (each a call of its own, as parallel stage items are).</summary>
    private static Task<ChatResponse[]> AskAll(EngineHarness h, params string[] prompts) =>
        Task.WhenAll(prompts.Select(p => h.AskAsync(p)));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_batch_answers_each_call_with_its_own_reply_and_the_ledger_records_it_as_batched(string provider)
    {
        var (h, stub) = await Start(provider, batchMax: 3);
        await using var _ = h;

        var answers = await AskAll(h, "alpha?", "beta?", "gamma?");

        Assert.Equal(
            ["alpha?", "beta?", "gamma?"],
            answers.Select(a => a.Text).Select(t => t[(t.IndexOf(" to: ", StringComparison.Ordinal) + 5)..])
        );
        Assert.All(answers, a => Assert.StartsWith("answer ", a.Text));
        var batch = Assert.Single(stub.Batches);
        Assert.Equal(provider == "anthropic" ? "anthropic" : "openai", batch.Format);
        Assert.Equal(provider == "anthropic" ? 0 : 1, stub.Uploads);
        Assert.Equal(0, stub.DirectCalls);
        // Each request is named by the ledger's call key, asks the configured model, and (OpenAI's format) names the chat endpoint.
        var rows = h.Rows();
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows.Select(r => r.Key).Order(), batch.Requests.Select(r => r.CustomId).Order());
        Assert.All(batch.Requests, r => Assert.Equal(ModelId(provider), r.Body["model"]!.GetValue<string>()));
        if (provider != "anthropic")
        {
            var url = provider == "azure-openai" ? "/chat/completions" : "/v1/chat/completions";
            Assert.Equal(url, batch.Endpoint);
            Assert.All(batch.Requests, r => Assert.Equal(url, r.Url));
        }
        else
        {
            Assert.All(batch.Requests, r => Assert.NotNull(r.Body["max_tokens"]));
        }
        Assert.All(rows, r => Assert.Equal(batch.Id, r.BatchId));
        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.All(rows, r => Assert.Equal(10, r.InputTokens));
        // The key travels only in headers: a batch request carries the model's key, the store never does.
        Assert.All(
            h.Stub.Requests.Where(r => r.Path.Contains("batches", StringComparison.Ordinal)),
            r => Assert.Contains(Key, provider == "anthropic" ? r.Header("x-api-key") ?? "" : r.Authorization ?? "")
        );
        Assert.DoesNotContain(Key, await ReadStoreBytesAsync(h));

        // The batch is collected, and the replies the ledger now holds are dropped from the batch tables on close.
        var stored = Assert.Single(h.Store.ListBatches(inFlightOnly: false));
        Assert.NotNull(stored.CollectedAt);
        Assert.Equal(3, stored.Succeeded);
        Assert.Empty(h.Store.ListBatches(inFlightOnly: true));
        Assert.Equal(3, h.Store.PruneBatchReplies());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_batched_request_is_the_body_a_direct_call_sends(string provider)
    {
        var (h, stub) = await Start(provider, batchMax: 1, extra: ", temperature: 0.3, max_tokens: 77");
        await using var _ = h;
        await h.AskAsync("same body?");
        using var direct = h.NewPool(config: WithoutBatch(h));
        await h.AskAsync("same body, asked directly?", pool: direct);

        var batched = Assert.Single(Assert.Single(stub.Batches).Requests).Body;
        var sent = (JsonObject)h.Stub.Requests.Single(r => r.Prompt == "same body, asked directly?").Body!;
        sent.Remove("stream");
        // The same SDK mapping: only the prompt differs.
        var expected = sent.ToJsonString().Replace("same body, asked directly?", "same body?", StringComparison.Ordinal);
        Assert.Equal(expected, batched.ToJsonString());
        Assert.Contains("77", batched.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_cached_answer_is_shared_between_batch_mode_and_direct_calls_both_ways(string provider)
    {
        var (h, stub) = await Start(provider, batchMax: 1);
        await using var _ = h;
        using var direct = h.NewPool(config: WithoutBatch(h));

        // Asked directly first: batch mode finds it in the cache and sends nothing.
        var first = await h.AskAsync("asked directly first?", pool: direct);
        var again = await h.AskAsync("asked directly first?");
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(true, again.AdditionalProperties![LedgerChatClient.CachedProperty]);
        Assert.Empty(stub.Batches);

        // Batched first: a direct call is a cache hit too.
        var batched = await h.AskAsync("batched first?");
        var hit = await h.AskAsync("batched first?", pool: direct);
        Assert.Equal(batched.Text, hit.Text);
        Assert.Equal(true, hit.AdditionalProperties![LedgerChatClient.CachedProperty]);
        Assert.Single(stub.Batches);
        Assert.Equal(1, stub.DirectCalls);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_request_the_batch_failed_is_sent_again_in_a_new_batch_and_each_failure_is_a_ledger_row(string provider)
    {
        var (h, stub) = await Start(provider, batchMax: 3);
        await using var _ = h;
        // The second prompt fails in its first batch (a server error, which may pass), then succeeds.
        stub.Answer = r =>
            r.Prompt == "flaky?" && r.PromptCount == 1
                ? StubBatchAnswer.Errored(500, "the server had a bad moment")
                : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

        var first = AskAll(h, "steady?", "flaky?", "calm?");
        await stub.WaitForBatchesAsync(1, Ct);
        // The retry travels alone: batch_max is 3, so the window (an hour here) would hold it; send it now.
        await Batcher(h).WhenWaitingAsync(1);
        await Batcher(h).FlushAsync();
        var answers = await first;

        Assert.All(answers, a => Assert.StartsWith("answer ", a.Text));
        Assert.Equal(2, stub.Batches.Count);
        Assert.Equal(["flaky?"], stub.Batches[1].Requests.Select(r => r.Prompt));
        var failed = Assert.Single(h.Rows(), r => r.Error is not null);
        Assert.Contains("the server had a bad moment", failed.Error);
        Assert.Contains("500", failed.Error);
        Assert.Equal(stub.Batches[0].Id, failed.BatchId);
        Assert.Equal(stub.Batches[1].Id, h.Rows().Single(r => r.Error is null && r.Key == failed.Key).BatchId);
        Assert.Equal(0, stub.DirectCalls);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_request_the_batch_rejected_fails_that_call_only_and_is_not_sent_again(string provider)
    {
        var (h, stub) = await Start(provider, batchMax: 2);
        await using var _ = h;
        stub.Answer = r =>
            r.Prompt == "malformed?"
                ? StubBatchAnswer.Errored(400, "the request is malformed")
                : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

        var good = h.AskAsync("fine?");
        var bad = h.AskAsync("malformed?");
        var e = await Assert.ThrowsAsync<ModelCallException>(() => bad);

        Assert.Equal(ModelCallFailure.Rejected, e.Failure);
        Assert.Contains("the request is malformed", e.Message);
        Assert.StartsWith("answer ", (await good).Text);
        Assert.Single(stub.Batches);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_request_is_asked_at_once_when_batch_retry_is_sync(string provider)
    {
        var pricing = new PriceList(new Dictionary<string, ModelPrice> { [ModelId(provider)] = new(2, 8) });
        var (h, stub) = await Start(provider, batchMax: 2, extra: ", batch_retry: sync", pricing: pricing);
        await using var _ = h;
        stub.Answer = r =>
            r.Prompt == "again?"
                ? StubBatchAnswer.Errored(503, "try later")
                : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt), 1000, 500);
        stub.Direct = r =>
            provider == "anthropic"
                ? StubReply.Anthropic(OpenAIStub.AnswerTo(r.Prompt), 1000, 500)
                : StubReply.Chat(OpenAIStub.AnswerTo(r.Prompt), 1000, 500);

        var answers = await AskAll(h, "once?", "again?");

        Assert.All(answers, a => Assert.StartsWith("answer ", a.Text));
        Assert.Single(stub.Batches);
        Assert.Equal(1, stub.DirectCalls);
        var rows = h.Rows().Where(r => r.Error is null).ToDictionary(r => r.BatchId is null ? "direct" : "batched");
        // The direct answer pays the listed price, the batched one half of it.
        Assert.Equal((1000 * 2 + 500 * 8) / 1e6, rows["direct"].Cost!.Value, 12);
        Assert.Equal((1000 * 2 + 500 * 8) / 2e6, rows["batched"].Cost!.Value, 12);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_expired_batch_sends_its_unanswered_requests_again_and_keeps_its_answers(string provider) =>
        await EndedEarly(provider, StubBatchAnswer.Expired, provider == "anthropic" ? "ended" : "expired");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_cancelled_batch_sends_its_unanswered_requests_again_and_keeps_its_answers(string provider) =>
        await EndedEarly(provider, StubBatchAnswer.Cancelled, provider == "anthropic" ? "ended" : "cancelled");

    private static async Task EndedEarly(string provider, StubBatchAnswer unfinished, string state)
    {
        var (h, stub) = await Start(provider, batchMax: 3);
        await using var _ = h;
        stub.Answer = r =>
            r.Prompt != "first?" && r.PromptCount == 1 ? unfinished : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

        var all = AskAll(h, "first?", "second?", "third?");
        await stub.WaitForBatchesAsync(1, Ct);
        await Batcher(h).WhenWaitingAsync(2);
        await Batcher(h).FlushAsync();
        var answers = await all;

        Assert.All(answers, a => Assert.StartsWith("answer ", a.Text));
        Assert.Equal(2, stub.Batches.Count);
        Assert.Equal(["second?", "third?"], stub.Batches[1].Requests.Select(r => r.Prompt).Order());
        var batches = h.Store.ListBatches(inFlightOnly: false).ToDictionary(b => b.Id);
        Assert.Equal(state, batches[stub.Batches[0].Id].State);
        Assert.Equal(1, batches[stub.Batches[0].Id].Succeeded);
        Assert.Equal(2, batches[stub.Batches[0].Id].Failed);
        Assert.Equal(2, h.Rows().Count(r => r.Error is not null && r.BatchId == stub.Batches[0].Id));
        Assert.Equal(0, stub.DirectCalls);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_batched_call_costs_the_batch_price_half_the_listed_one_unless_the_pricing_file_gives_it(string provider)
    {
        var pricing = PriceList.Parse(
            $$"""
            {{ModelId(provider)}}: { input: 2.00, output: 8.00 }
            other: { input: 2.00, output: 8.00, batch_input: 0.50, batch_output: 1.00 }
            """,
            "pricing.yaml"
        );
        var (h, stub) = await Start(provider, batchMax: 1, pricing: pricing);
        await using var _ = h;
        stub.Answer = r => StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt), 1000, 500);

        await h.AskAsync("what does it cost?");

        Assert.Equal((1000 * 2.0 + 500 * 8.0) / 1e6 / 2, Assert.Single(h.Rows()).Cost!.Value, 12);
        Assert.Equal((1000 * 0.5 + 500 * 1.0) / 1e6, pricing.Cost(provider, "other", null, 1000, 500, batched: true)!.Value, 12);
        Assert.Equal((1000 * 2.0 + 500 * 8.0) / 1e6, pricing.Cost(provider, "other", null, 1000, 500)!.Value, 12);
        var summary = Assert.Single(h.Store.SummarizeCalls());
        Assert.Equal(1, summary.Batched);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_new_process_asked_a_call_of_a_stored_batch_in_flight_waits_for_that_batch_instead_of_sending_it_again(
        string provider
    )
    {
        var (h, stub) = await Start(provider, batchMax: 2);
        await using var _ = h;
        stub.Hold = true;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var firstPool = h.NewPool();
        var first = Task.WhenAll(
            firstPool.Chat("stub").GetResponseAsync([new ChatMessage(ChatRole.User, "one?")], EngineHarness.Context().Apply(), stop.Token),
            firstPool.Chat("stub").GetResponseAsync([new ChatMessage(ChatRole.User, "two?")], EngineHarness.Context().Apply(), stop.Token)
        );
        await stub.WaitForBatchesAsync(1, Ct);
        // Its first look at the batch comes after the batch is in the store.
        await h.Stub.WaitForRequestsAsync(h.Stub.Count + 1, Ct);
        // The first process stops (Ctrl-C) while its batch is in flight; the batch stays in the store.
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        firstPool.Dispose();
        var stored = Assert.Single(h.Store.ListBatches(inFlightOnly: true));
        Assert.Equal(stub.Batches[0].Id, stored.Id);

        using var second = h.NewPool();
        var again = Task.WhenAll(h.AskAsync("two?", pool: second), h.AskAsync("one?", pool: second));
        var polls = stub.Batches[0].Polls;
        stub.Hold = false;
        var answers = await again;

        Assert.Equal([OpenAIStub.AnswerTo("two?"), OpenAIStub.AnswerTo("one?")], answers.Select(a => a.Text));
        Assert.Single(stub.Batches);
        Assert.True(stub.Batches[0].Polls > polls);
        Assert.All(h.Rows().Where(r => r.Error is null), r => Assert.Equal(stored.Id, r.BatchId));
        Assert.Empty(h.Store.ListBatches(inFlightOnly: true));
    }

    [Fact]
    public async Task A_partial_batch_is_sent_once_no_call_has_come_for_the_window()
    {
        var time = new Cli.ManualTime();
        var (h, stub) = await Start("openai", batchMax: 10, time: time);
        await using var _ = h;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var calls = Task.WhenAll(
            h.Pool.Chat("stub").GetResponseAsync([new ChatMessage(ChatRole.User, "early?")], EngineHarness.Context().Apply(), stop.Token),
            h.Pool.Chat("stub").GetResponseAsync([new ChatMessage(ChatRole.User, "late?")], EngineHarness.Context().Apply(), stop.Token)
        );
        await Batcher(h).WhenWaitingAsync(2);
        Assert.Empty(stub.Batches);

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(2, Batcher(h).Waiting);
        time.Advance(TimeSpan.FromMinutes(1));
        await stub.WaitForBatchesAsync(1, Ct);

        Assert.Equal(["early?", "late?"], Assert.Single(stub.Batches).Requests.Select(r => r.Prompt).Order());
        Assert.Equal(0, Batcher(h).Waiting);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls);
    }

    [Fact]
    public async Task A_batched_model_offers_a_batch_as_its_capacity_so_stages_keep_that_many_calls_waiting()
    {
        var (h, _) = await Start("anthropic", batchMax: 250);
        await using var _ = h;
        var capacity = h.Pool.Chat("stub").GetService<ModelCapacity>();
        Assert.NotNull(capacity);
        Assert.True(capacity.Batched);
        Assert.Equal(250, capacity.Concurrency);
    }

    private static BatchingChatClient Batcher(EngineHarness h) => h.Pool.Chat("stub").GetService<BatchingChatClient>()!;

    private static Core.Configuration.AdaemConfig WithoutBatch(EngineHarness h) =>
        h.Config with
        {
            Models = h.Config.Models.ToDictionary(m => m.Key, m => m.Value with { Batch = null }),
        };

    private static async Task<string> ReadStoreBytesAsync(EngineHarness h)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var text = "";
        foreach (var f in Directory.GetFiles(h.Dir, "adaem.db*"))
        {
            await using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var r = new StreamReader(s, System.Text.Encoding.Latin1);
            text += await r.ReadToEndAsync(Ct);
        }
        return text;
    }
}
