using System.Collections.Concurrent;
using Adaem.Core.Models;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>What the engine tells a progress display while nothing finishes: calls in flight, and each wait before a retry.</summary>
public sealed class EngineWaitReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_retry_layer_reports_a_Retry_After_and_a_backoff_to_whoever_watches_and_stops_when_the_watch_ends()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 3");
        h.Stub.Script = r =>
            r.Prompt switch
            {
                "q1" when r.PromptCount == 1 => StubReply.Error(429, "slow down", "rate_limit_exceeded", retryAfter: "7"),
                "q2" when r.PromptCount == 1 => StubReply.Error(503, "busy"),
                _ => OpenAIStub.Default(r),
            };
        var sink = new Waits();
        ICallStatistics statistics = h.Pool.Counters;

        using (statistics.WatchWaits(sink))
        {
            await h.AskAsync("q1");
            await h.AskAsync("q2");
        }
        h.Stub.Script = r =>
            r.PromptCount == 1 ? StubReply.Error(429, "again", "rate_limit_exceeded", retryAfter: "3") : OpenAIStub.Default(r);
        await h.AskAsync("q4");

        var seen = sink.Seen.ToList();
        Assert.Equal(2, seen.Count); // q4's wait came after the watch ended
        Assert.Equal(new CallWait("stub", TimeSpan.FromSeconds(7), true, "rate limited (HTTP 429)", 1), seen[0]);
        Assert.Equal(("stub", false, "server error (HTTP 503)", 1), (seen[1].Model, seen[1].ServerAsked, seen[1].Reason, seen[1].Attempt));
        Assert.Equal(h.Delays[1], seen[1].Delay); // the backoff reported is the one waited
    }

    [Fact]
    public async Task A_call_counts_as_in_flight_from_the_moment_it_is_asked_until_it_is_recorded()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        var release = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = release.Task };
        ICallStatistics statistics = h.Pool.Counters;

        var asking = Task.WhenAll(h.AskAsync("a"), h.AskAsync("b"));
        await h.Stub.WaitForRequestsAsync(2, Ct);
        var during = statistics.Total().InFlight;
        release.SetResult();
        await asking;

        Assert.Equal(2, during);
        Assert.Equal(0, statistics.Total().InFlight);
        Assert.Equal(2, statistics.Total().Calls);
    }

    [Fact]
    public async Task A_store_write_held_up_by_another_writer_shows_as_a_store_wait_until_the_lock_is_released()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        ICallStatistics statistics = h.Pool.Counters;
        Task asking;
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.Config.StorePath};Pooling=False"))
        {
            other.Open();
            using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                begin.ExecuteNonQuery();
            }
            asking = h.AskAsync("a");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (statistics.StoreWriteWaiting is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the ledger never started its write");
                await Task.Delay(10, Ct);
            }
            Assert.False(asking.IsCompleted); // the answer is not returned before it is in the store
        } // closing the connection rolls its transaction back and frees the lock
        await asking;

        Assert.Null(statistics.StoreWriteWaiting);
        Assert.Single(h.Rows());
    }

    private sealed class Waits : ICallWaitSink
    {
        public ConcurrentQueue<CallWait> Seen { get; } = new();

        public void Waiting(CallWait wait) => Seen.Enqueue(wait);
    }
}
