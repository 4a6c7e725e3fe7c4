using Adaem.Core.Models;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>Each failure mode of a provider, over real HTTP: the retry count, and what the ledger keeps.</summary>
public sealed class EngineRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_with_Retry_After_waits_what_the_server_asked_then_succeeds()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 3");
        h.Stub.Script = r =>
            r.PromptCount == 1 ? StubReply.Error(429, "slow down", "rate_limit_exceeded", retryAfter: "7") : OpenAIStub.Default(r);

        var reply = await h.AskAsync("q1");

        Assert.Equal(OpenAIStub.AnswerTo("q1"), reply.Text);
        Assert.Equal(2, h.Stub.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], h.Delays);
        var rows = h.Rows();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("RateLimited (HTTP 429)", rows[0].Error);
        Assert.Equal(1, rows[0].Attempt);
        Assert.Null(rows[1].Error);
        Assert.Equal(2, rows[1].Attempt);
        Assert.Equal(rows[0].Key, rows[1].Key);
    }

    [Fact]
    public async Task A_500_is_retried_with_growing_jittered_backoff_up_to_the_cap_then_recorded_as_a_failure()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 2");
        h.Stub.Script = _ => StubReply.Error(500, "boom");

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q1"));

        Assert.Equal(ModelCallFailure.ServerError, e.Failure);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(500, e.Status);
        Assert.Equal(3, h.Stub.Count);
        // Base delay 1 s, equal jitter: the first wait is in [0.5, 1] s, the second in [1, 2] s.
        Assert.Equal(2, h.Delays.Count);
        Assert.InRange(h.Delays[0].TotalSeconds, 0.5, 1.0);
        Assert.InRange(h.Delays[1].TotalSeconds, 1.0, 2.0);
        var rows = h.Rows();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Attempt));
        Assert.All(rows, r => Assert.StartsWith("ServerError (HTTP 500)", r.Error));
        Assert.Null(h.Store.TryGetCachedCall(rows[0].Key));
    }

    [Fact]
    public async Task A_reply_slower_than_the_timeout_is_abandoned_and_asked_again()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 2, timeout_s: 0.3");
        var never = new TaskCompletionSource();
        h.Stub.Script = r => r.PromptCount == 1 ? OpenAIStub.Default(r) with { Gate = never.Task } : OpenAIStub.Default(r);

        var reply = await h.AskAsync("slow");

        Assert.Equal(OpenAIStub.AnswerTo("slow"), reply.Text);
        Assert.Equal(2, h.Stub.Count);
        var rows = h.Rows();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("Timeout", rows[0].Error);
        Assert.Null(rows[1].Error);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_to_the_cap_and_recorded()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 2", baseUrl: $"http://127.0.0.1:{OpenAIStub.ClosedPort()}/v1");

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));

        Assert.Equal(ModelCallFailure.Connection, e.Failure);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(0, h.Stub.Count);
        Assert.Equal(3, h.Rows().Count);
        Assert.All(h.Rows(), r => Assert.StartsWith("Connection", r.Error));
    }

    [Fact]
    public async Task Malformed_JSON_is_an_invalid_reply_that_is_retried()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 3");
        h.Stub.Script = r => r.PromptCount <= 2 ? StubReply.Raw("{\"id\": \"x\", \"choices\": [ {\"message\": ") : OpenAIStub.Default(r);

        var reply = await h.AskAsync("q");

        Assert.Equal(OpenAIStub.AnswerTo("q"), reply.Text);
        Assert.Equal(3, h.Stub.Count);
        var rows = h.Rows();
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("InvalidReply", rows[0].Error);
        Assert.StartsWith("InvalidReply", rows[1].Error);
        Assert.Null(rows[2].Error);
    }

    [Fact]
    public async Task Empty_choices_is_an_invalid_reply_and_never_cached()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 1");
        h.Stub.Script = _ => StubReply.EmptyChoices();

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));

        Assert.Equal(ModelCallFailure.InvalidReply, e.Failure);
        Assert.Equal(2, h.Stub.Count);
        Assert.Equal(2, h.Rows().Count(r => r.Error is not null));
        Assert.Null(h.Store.TryGetCachedCall(h.Rows()[0].Key));
    }

    [Theory]
    [InlineData(429, "insufficient_quota")]
    [InlineData(402, "payment_required")]
    public async Task Quota_errors_fail_fast_and_stop_the_run(int status, string type)
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 5");
        h.Stub.Script = _ => StubReply.Error(status, "You exceeded your current quota", type);

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));

        Assert.Equal(ModelCallFailure.Quota, e.Failure);
        Assert.True(e.StopsRun);
        Assert.Equal(1, h.Stub.Count);
        Assert.Empty(h.Delays);
        Assert.Single(h.Rows());
    }

    [Fact]
    public async Task Quota_errors_are_retried_when_fail_fast_is_off()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 2, fail_fast_on_quota: false");
        h.Stub.Script = _ => StubReply.Error(429, "You exceeded your current quota", "insufficient_quota");

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));

        Assert.Equal(ModelCallFailure.RateLimited, e.Failure);
        Assert.Equal(3, h.Stub.Count);
    }

    [Fact]
    public async Task A_rejected_request_is_not_retried()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 5");
        h.Stub.Script = _ => StubReply.Error(400, "bad parameter", "invalid_request_error");

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));

        Assert.Equal(ModelCallFailure.Rejected, e.Failure);
        Assert.False(e.StopsRun);
        Assert.Equal(1, h.Stub.Count);
    }

    [Fact]
    public async Task A_batch_goes_on_past_items_that_fail()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 1");
        // Items 3 and 7 always fail, item 5 fails once; the rest answer at once.
        h.Stub.Script = r =>
            r.Prompt switch
            {
                "item 3" => StubReply.Error(500),
                "item 7" => StubReply.EmptyChoices(),
                "item 5" when r.PromptCount == 1 => StubReply.Error(503),
                _ => OpenAIStub.Default(r),
            };

        var outcomes = await Task.WhenAll(
            Enumerable
                .Range(0, 10)
                .Select(async i =>
                {
                    try
                    {
                        return (i, (await h.AskAsync($"item {i}")).Text);
                    }
                    catch (ModelCallException e)
                    {
                        return (i, "failed: " + e.Failure);
                    }
                })
        );

        Assert.Equal("failed: ServerError", outcomes[3].Item2);
        Assert.Equal("failed: InvalidReply", outcomes[7].Item2);
        foreach (var i in new[] { 0, 1, 2, 4, 5, 6, 8, 9 })
            Assert.Equal(OpenAIStub.AnswerTo($"item {i}"), outcomes[i].Item2);
        Assert.Equal(10 + 1 + 1 + 1, h.Stub.Count); // every item once, plus one retry each for 3, 5 and 7
        Assert.Equal(8, h.Store.CountCalls());
        Assert.Equal(8 + 2 + 2 + 1, h.Store.CountCalls(includeErrors: true));
    }
}
