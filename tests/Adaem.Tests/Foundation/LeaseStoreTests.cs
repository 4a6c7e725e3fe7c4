using Adaem.Storage;
using Adaem.Tests.Support;

namespace Adaem.Tests.Foundation;

/// <summary>Leases and claims on calls in flight in a real store file, with tokens standing for processes.</summary>
public sealed class LeaseStoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly AdaemStore _store;

    public LeaseStoreTests() => _store = AdaemStore.Open(_dir.File("adaem.db"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_lease_is_reentered_by_its_own_process_and_released_by_the_outer_holder_only()
    {
        var outer = _store.AcquireLease("main", "run");
        Assert.True(outer.Owned);
        using (var inner = _store.AcquireLease("main", "evaluate"))
        {
            Assert.False(inner.Owned);
        }
        Assert.Equal("run", _store.GetLease("main")!.Command); // the inner release left it in place
        Assert.Equal(ProcessIdentity.Pid, _store.GetLease("main")!.Pid);
        outer.Dispose();
        Assert.Null(_store.GetLease("main"));
    }

    [Fact]
    public void A_live_lease_of_another_process_is_refused_with_its_holder_named()
    {
        StoreRows.PutLease(_store.Path, "main", 4242, "elsewhere", "evaluate", DateTimeOffset.UtcNow.AddSeconds(-3));

        var e = Assert.Throws<RunLeaseHeldException>(() => _store.AcquireLease("main", "generate"));

        Assert.StartsWith(
            $"run 'main' in {_store.Path} is in use by another adaem process: pid 4242 on elsewhere ('adaem evaluate', since ",
            e.Message
        );
        Assert.Matches(@"last heartbeat \d+ s ago\)", e.Message);
        Assert.Contains("Fix: wait until it finishes, or use another --run NAME.", e.Message);
        Assert.Equal(4242, _store.GetLease("main")!.Pid);
        using var other = _store.AcquireLease("other", "generate"); // other runs are free
        Assert.True(other.Owned);
    }

    [Fact]
    public void A_stale_lease_is_taken_over_its_claims_dropped_and_its_running_run_marked_interrupted()
    {
        _store.EnsureRun("main", "h");
        _store.SetRunStage("main", "evaluate", "running");
        StoreRows.PutLease(_store.Path, "main", 4242, "elsewhere", "evaluate", DateTimeOffset.UtcNow.AddMinutes(-2), token: "dead");
        StoreRows.PutClaim(_store.Path, "k1", "dead", DateTimeOffset.UtcNow.AddMinutes(-2));
        StoreRows.PutClaim(_store.Path, "k2", "alive", DateTimeOffset.UtcNow);

        using var lease = _store.AcquireLease("main", "evaluate");

        Assert.True(lease.Owned);
        Assert.Equal((4242L, "elsewhere"), (lease.TakenOver!.Pid, lease.TakenOver.Host));
        Assert.Equal(ProcessIdentity.Token, _store.GetLease("main")!.Token);
        Assert.Equal(["k2"], _store.ListCallsInFlight().Select(c => c.Key));
        var run = _store.GetRun("main")!;
        Assert.Equal("interrupted", run.Status);
        Assert.Contains("pid 4242 on elsewhere", run.Detail);
        Assert.Contains("no heartbeat for more than 30 s", run.Detail);
    }

    [Fact]
    public void The_stale_time_comes_from_the_environment_and_the_heartbeat_follows_it()
    {
        Assert.Equal(LeaseTiming.Default, LeaseTiming.FromEnvironment(_ => null));
        Assert.Equal(LeaseTiming.Default, LeaseTiming.FromEnvironment(_ => "soon"));
        var t = LeaseTiming.FromEnvironment(k => k == LeaseTiming.StaleVariable ? "3" : null);
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)), (t.StaleAfter, t.Heartbeat));
        StoreRows.PutLease(_store.Path, "main", 4242, "elsewhere", "evaluate", DateTimeOffset.UtcNow.AddSeconds(-10), token: "t");
        Assert.Throws<RunLeaseHeldException>(() => _store.AcquireLease("main", "evaluate")); // 10 s is fresh by default
        using var taken = _store.AcquireLease("main", "evaluate", t); // and stale after 3 s
        Assert.NotNull(taken.TakenOver);
    }

    [Fact]
    public async Task The_heartbeat_keeps_the_lease_fresh_and_notices_when_it_was_taken_away()
    {
        await using var lease = _store.AcquireLease(
            "main",
            "evaluate",
            new LeaseTiming(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(40))
        );
        var first = _store.GetLease("main")!.HeartbeatAt;
        await Poll.UntilAsync(() => _store.GetLease("main")!.HeartbeatAt != first, "a heartbeat", deadline: TimeSpan.FromSeconds(30));

        StoreRows.PutLease(_store.Path, "main", 4242, "elsewhere", "evaluate", DateTimeOffset.UtcNow, token: "thief");
        await Poll.UntilAsync(() => lease.Lost, "the heartbeat to notice", deadline: TimeSpan.FromSeconds(30));
        await lease.DisposeAsync();
        Assert.Equal("thief", _store.GetLease("main")!.Token); // releasing does not remove someone else's lease
    }

    [Fact]
    public void Claims_are_claimed_held_cached_or_taken_from_a_dead_process_and_released_with_the_answer()
    {
        _store.RecordCall(
            new ModelCallRecord
            {
                Key = "k-cached",
                Model = "m",
                Provider = "p",
                RequestJson = "{}",
                ResponseText = "yes",
                LatencyMs = 1,
            }
        );
        StoreRows.PutClaim(_store.Path, "k-live", "alive", DateTimeOffset.UtcNow);
        StoreRows.PutClaim(_store.Path, "k-dead", "dead", DateTimeOffset.UtcNow.AddMinutes(-5));

        var claims = _store.ApplyLedgerBatch(new LedgerBatch { Claims = ["k-new", "k-live", "k-dead", "k-cached"], Token = "me" });

        Assert.Equal([ClaimState.Claimed, ClaimState.Held, ClaimState.Claimed, ClaimState.Cached], claims.Select(c => c.State));
        Assert.Equal("alive", claims[1].Holder);
        Assert.Equal("me", _store.ListCallsInFlight().Single(c => c.Key == "k-dead").Token);
        Assert.Equal(ClaimState.Claimed, _store.ApplyLedgerBatch(new LedgerBatch { Claims = ["k-new"], Token = "me" })[0].State); // its own claim again

        _store.ApplyLedgerBatch(
            new LedgerBatch
            {
                Records =
                [
                    new ModelCallRecord
                    {
                        Key = "k-new",
                        Model = "m",
                        Provider = "p",
                        RequestJson = "{}",
                        ResponseText = "no",
                        LatencyMs = 1,
                    },
                ],
                Releases = ["k-new", "k-live"], // another process's claim is not ours to release
                Token = "me",
            }
        );
        Assert.Equal(["k-dead", "k-live"], _store.ListCallsInFlight().Select(c => c.Key).Order());
        Assert.Equal(new CallPeek(_store.TryGetCachedCall("k-new"), null), _store.PeekCall("k-new"));
        Assert.Equal("alive", _store.PeekCall("k-live").Claim!.Token);
    }
}
