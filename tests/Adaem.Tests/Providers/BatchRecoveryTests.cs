using Adaem.Core.Models;
using Adaem.Providers.Batching;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>
/// Batch mode when something goes wrong after the provider has the requests: an unreadable reply, a look the
/// provider answers with 404, a store that refuses to record an accepted batch, a results file with a broken
/// line. Each must neither lose work nor pay for a request twice without need. Real SQLite store, loopback stub.
/// </summary>
public sealed class BatchRecoveryTests
{
    private const string Key = "sk-batch-7c3a1f0e9b2d4a65";
    private const string KeyVariable = "BATCH_TEST_KEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => ["openai", "azure-openai", "anthropic"];

    private static async Task<(EngineHarness H, BatchStub Stub)> Start(string provider, int batchMax = 1, int maxRetries = 2)
    {
        var options =
            $"batch: true, batch_max: {batchMax}, batch_window_s: 3600, batch_poll_s: 0.02, max_retries: {maxRetries}, api_key_env: {KeyVariable}"
            + (provider == "azure-openai" ? ", deployment: stub-deployment" : "");
        var h = await EngineHarness.StartAsync(options, provider: provider, environment: env => env[KeyVariable] = Key);
        return (h, new BatchStub(h.Stub));
    }

    private static Core.Configuration.AdaemConfig WithRetries(EngineHarness h, int maxRetries) =>
        h.Config with
        {
            Models = h.Config.Models.ToDictionary(m => m.Key, m => m.Value with { MaxRetries = maxRetries }),
        };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_empty_batch_reply_is_asked_again_in_a_new_batch_and_the_call_is_answered(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        stub.Answer = r => r.PromptCount == 1 ? StubBatchAnswer.Empty : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

        var answer = await h.AskAsync("hollow?");

        Assert.Equal(OpenAIStub.AnswerTo("hollow?"), answer.Text);
        Assert.Equal(2, stub.Batches.Count);
        var failed = Assert.Single(h.Rows(), r => r.Error is not null);
        Assert.Contains("InvalidReply", failed.Error);
        Assert.Equal(stub.Batches[0].Id, failed.BatchId);
        Assert.Equal(stub.Batches[1].Id, h.Rows().Single(r => r.Error is null).BatchId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_rerun_after_an_empty_batch_reply_sends_a_fresh_request_instead_of_reading_the_stored_one_again(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        stub.Answer = r => r.PromptCount == 1 ? StubBatchAnswer.Empty : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

        // A run without retries gives up on the empty reply...
        using (var first = h.NewPool(config: WithRetries(h, 0)))
        {
            var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("hollow?", pool: first));
            Assert.Equal(ModelCallFailure.InvalidReply, e.Failure);
        }
        var identity = h.Pool.Resolve("stub");
        var stored = h.Store.FindBatchRequest(identity.ProviderKind, identity.Endpoint, h.Rows().Single().Key)!;
        Assert.Equal(BatchResults.Errored, stored.Result);
        Assert.Null(stored.ResultJson);

        // ...and the rerun asks again in a new batch instead of failing on the same stored reply forever.
        var answer = await h.AskAsync("hollow?");

        Assert.Equal(OpenAIStub.AnswerTo("hollow?"), answer.Text);
        Assert.Equal(2, stub.Batches.Count);
        Assert.Equal(stub.Batches[1].Id, h.Rows().Single(r => r.Error is null).BatchId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_look_answered_with_404_fails_the_calls_without_sending_them_again_and_the_batch_stays_in_flight(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        // A key of another project (workspace) does not see the batch its own project's key created.
        stub.RefuseLooks = 404;

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("elsewhere?"));

        var batch = Assert.Single(stub.Batches);
        Assert.Equal(ModelCallFailure.Unauthorized, e.Failure);
        Assert.Contains(batch.Id, e.Message);
        Assert.Contains("rerun with that key", e.Message);
        Assert.Contains("not sent again", e.Message);
        Assert.Equal(batch.Id, Assert.Single(h.Store.ListBatches(inFlightOnly: true)).Id);

        // With the key that created it, the rerun waits for the same batch and is answered from it.
        stub.RefuseLooks = null;
        var answer = await h.AskAsync("elsewhere?");

        Assert.Equal(OpenAIStub.AnswerTo("elsewhere?"), answer.Text);
        Assert.Single(stub.Batches);
        Assert.Equal(batch.Id, h.Rows().Single(r => r.Error is null).BatchId);
        Assert.Empty(h.Store.ListBatches(inFlightOnly: true));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_batch_the_store_refuses_to_record_is_tried_again_then_watched_in_memory_and_its_calls_are_answered(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        Refuse(h);

        var answer = await h.AskAsync("unrecorded?");

        Assert.Equal(OpenAIStub.AnswerTo("unrecorded?"), answer.Text);
        var batch = Assert.Single(stub.Batches);
        Assert.Equal(batch.Id, Assert.Single(h.Rows()).BatchId);
        Assert.Empty(h.Store.ListBatches(inFlightOnly: false));
        // The store was asked four times, with the model's backoff between attempts (recorded here, not waited).
        Assert.Equal(3, h.Delays.Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_call_of_a_batch_the_store_did_not_record_fails_naming_the_batch_and_its_provider(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        Refuse(h);
        stub.RefuseLooks = 401;

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("unrecorded?"));

        var batch = Assert.Single(stub.Batches);
        Assert.Contains($"the {h.Pool.Resolve("stub").ProviderKind} batch {batch.Id} was accepted but could not be recorded", e.Message);
        Assert.Contains("batches refused by the test", e.Message);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_results_line_that_is_not_json_leaves_its_request_missing_and_it_is_asked_again_while_the_others_are_answered(
        string provider
    )
    {
        var (h, stub) = await Start(provider, batchMax: 2);
        await using var _ = h;
        stub.Answer = r =>
            r.Prompt == "cut?" && r.PromptCount == 1
                ? StubBatchAnswer.Broken(OpenAIStub.AnswerTo(r.Prompt))
                : StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

        var both = Task.WhenAll(h.AskAsync("whole?"), h.AskAsync("cut?"));
        await stub.WaitForBatchesAsync(1, Ct);
        // The request asked again travels alone: send it without waiting for the window.
        var batcher = h.Pool.Chat("stub").GetService<BatchingChatClient>()!;
        await batcher.WhenWaitingAsync(1).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        await batcher.FlushAsync();
        var answers = await both;

        Assert.Equal([OpenAIStub.AnswerTo("whole?"), OpenAIStub.AnswerTo("cut?")], answers.Select(a => a.Text));
        Assert.Equal(2, stub.Batches.Count);
        Assert.Equal(["cut?"], stub.Batches[1].Requests.Select(r => r.Prompt));
        // The first batch's results were read once: the broken line did not make the poller download them again and again.
        var first = stub.Batches[0].Id;
        Assert.Single(
            h.Stub.Requests,
            r =>
                r.Path.Contains(first, StringComparison.Ordinal)
                && (r.Path.EndsWith("/results", StringComparison.Ordinal) || r.Path.Contains("-output/content", StringComparison.Ordinal))
        );
        var failed = Assert.Single(h.Rows(), r => r.Error is not null);
        Assert.Equal(first, failed.BatchId);
        Assert.Contains("without an answer", failed.Error);
        var stored = h.Store.ListBatches(inFlightOnly: false).Single(b => b.Id == first);
        Assert.Equal(1, stored.Succeeded);
        // The request without a results line counts as failed.
        Assert.Equal(1, stored.Failed);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_model_run_without_batch_mode_takes_the_answer_of_its_batch_left_in_flight_instead_of_asking_again(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        stub.Hold = true;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var batched = h.NewPool();
        var first = batched
            .Chat("stub")
            .GetResponseAsync([new ChatMessage(ChatRole.User, "left running?")], EngineHarness.Context().Apply(), stop.Token);
        await stub.WaitForBatchesAsync(1, Ct);
        // Its first look at the batch comes after the batch is in the store; then the run stops (Ctrl-C), the batch running on.
        await h.Stub.WaitForRequestsAsync(h.Stub.Count + 1, Ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        batched.Dispose();
        var batch = Assert.Single(stub.Batches);
        Assert.Equal(batch.Id, Assert.Single(h.Store.ListBatches(inFlightOnly: true)).Id);

        // The rerun has batch mode off: the batch's answer is taken, the call is not asked again.
        stub.Hold = false;
        using var direct = h.NewPool(config: WithoutBatch(h));
        var answer = await h.AskAsync("left running?", pool: direct);

        Assert.Equal(OpenAIStub.AnswerTo("left running?"), answer.Text);
        Assert.Equal(0, stub.DirectCalls);
        Assert.Equal(batch.Id, Assert.Single(h.Rows(), r => r.Error is null).BatchId);
        Assert.Empty(h.Store.ListBatches(inFlightOnly: true));
        // A call no batch holds is asked directly, and nothing is batched.
        var fresh = await h.AskAsync("fresh?", pool: direct);
        Assert.Equal(OpenAIStub.AnswerTo("fresh?"), fresh.Text);
        Assert.Equal(1, stub.DirectCalls);
        Assert.Single(stub.Batches);
        Assert.False(direct.Chat("stub").GetService<ModelCapacity>()?.Batched ?? false);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_model_run_without_batch_mode_takes_a_stored_batch_reply_the_ledger_does_not_hold_yet(string provider)
    {
        var (h, stub) = await Start(provider);
        await using var _ = h;
        await h.AskAsync("collected?");
        // As if the process was killed after the batch's results were stored and before the ledger had the answer.
        using (var c = new SqliteConnection($"Data Source={h.Config.StorePath}"))
            c.Execute("DELETE FROM model_calls");
        Assert.Empty(h.Rows());

        using var direct = h.NewPool(config: WithoutBatch(h));
        var answer = await h.AskAsync("collected?", pool: direct);

        Assert.Equal(OpenAIStub.AnswerTo("collected?"), answer.Text);
        Assert.Equal(0, stub.DirectCalls);
        Assert.Single(stub.Batches);
        Assert.Equal(stub.Batches[0].Id, Assert.Single(h.Rows()).BatchId);
    }

    private static Core.Configuration.AdaemConfig WithoutBatch(EngineHarness h) =>
        h.Config with
        {
            Models = h.Config.Models.ToDictionary(m => m.Key, m => m.Value with { Batch = null }),
        };

    /// <summary>Makes the store refuse every new batch (a trigger on its table), as a full disk or a lock held too long would.</summary>
    private static void Refuse(EngineHarness h)
    {
        using var c = new SqliteConnection($"Data Source={h.Config.StorePath}");
        c.Execute("CREATE TRIGGER refuse BEFORE INSERT ON batches BEGIN SELECT RAISE(ABORT, 'batches refused by the test'); END");
    }
}
