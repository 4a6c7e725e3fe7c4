using System.Globalization;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// One writer per run, with real processes on one real store: a second command on a run in use exits 2 and
/// names the holder; a holder killed with -9 is taken over by the next command once its heartbeat is stale.
/// The loopback stub holds the first process's requests until the test lets them go, so it is mid-run.
/// </summary>
public sealed class LeaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_evaluate_on_a_run_in_use_exits_2_naming_the_first_which_then_finishes()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 6, concurrency: 2);
        var held = new TaskCompletionSource();
        stub.Script = r => StubEvaluation.Opinion(r) with { Gate = held.Task };

        using var first = AdaemProcess.Start(setup.Evaluate, Env(), setup.Directory);
        var exited = first.Process.WaitForExitAsync(Ct);
        try
        {
            await Poll.UntilAsync(
                () => stub.Count >= 2 && StoreProbe.Lease(setup.Store, "main") is not null,
                "the first evaluate to hold the run mid-way",
                exited,
                details: () => first.StandardError
            );
            var lease = StoreProbe.Lease(setup.Store, "main")!;
            Assert.Equal(first.Process.Id, lease.Pid);
            Assert.Equal("evaluate", lease.Command);

            var second = await CliProcess.RunAsync(setup.Directory, Env(), setup.Evaluate);

            Assert.True(second.ExitCode == 2, second.All);
            Assert.Contains(
                $"run 'main' in {setup.Store} is in use by another adaem process: pid {first.Process.Id} "
                    + $"on {Environment.MachineName} ('adaem evaluate', since ",
                second.Stderr
            );
            Assert.Contains("last heartbeat", second.Stderr);
            Assert.Contains("Fix: wait until it finishes, or use another --run NAME", second.Stderr);
            Assert.Equal(2, stub.Count); // the second process asked nothing
            Assert.Equal("evaluate:running", StoreProbe.RunStatus(setup.Store, "main")); // and did not touch the first's run

            held.SetResult();
            await exited;
        }
        finally
        {
            held.TrySetResult();
        }
        first.Process.WaitForExit();
        Assert.True(first.Process.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Contains("evaluate done: answers judged 12/12 (100%)", first.StandardOutput);
        Assert.Null(StoreProbe.Lease(setup.Store, "main")); // released on exit
        Assert.Equal("evaluate:done", StoreProbe.RunStatus(setup.Store, "main"));
    }

    [Fact]
    public async Task A_second_run_on_a_run_in_use_exits_2_before_any_stage_and_nothing_crashes_on_a_unique_constraint()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var dir = new TempDir();
        var remote = TestConfig.OnStub(stub.BaseUrl, StubEvaluation.KeyVariable, "concurrency: 2, max_retries: 0");
        var config = TestConfig
            .StubEvaluation(remote)
            .Simulated("gen-a", 11, "tradition: 0.8, security: 0.7")
            .Simulated("gen-b", 12, "self_direction: 0.8, hedonism: 0.6")
            .Generation("explorers: [gen-a, gen-b]", "scorers: [gen-a, gen-b]", "budget: 3", "max_arms: 4", "select_top: 4")
            .WriteTo(dir);
        var held = new TaskCompletionSource();
        stub.Script = r => StubEvaluation.Opinion(r) with { Gate = held.Task };
        string[] run = ["run", "-c", config, "--quiet"];

        using var first = AdaemProcess.Start(run, Env(), dir.Path);
        var exited = first.Process.WaitForExitAsync(Ct);
        try
        {
            // Generation (simulated) is done and evaluate is waiting on the remote target.
            await Poll.UntilAsync(
                () => stub.Count >= 2,
                "the first run to reach its remote target",
                exited,
                details: () => first.StandardOutput + first.StandardError
            );

            var second = await CliProcess.RunAsync(dir.Path, Env(), run);

            Assert.True(second.ExitCode == 2, second.All);
            Assert.Contains(
                $"is in use by another adaem process: pid {first.Process.Id} on {Environment.MachineName} ('adaem run', since ",
                second.Stderr
            );
            Assert.DoesNotContain("== generate", second.Stdout); // stopped before its first stage
            Assert.DoesNotContain("UNIQUE", second.All);
            Assert.Equal(2, stub.Count);
            held.SetResult();
            await exited;
        }
        finally
        {
            held.TrySetResult();
        }
        first.Process.WaitForExit();
        Assert.True(first.Process.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.DoesNotContain("UNIQUE", first.StandardOutput + first.StandardError);
        Assert.Contains("run 'main' done", first.StandardOutput);
        Assert.Null(StoreProbe.Lease(dir.File("adaem.db"), "main"));
    }

    [Fact]
    public async Task A_run_whose_process_was_killed_is_shown_stale_then_taken_over_by_the_next_command_which_finishes()
    {
        const int answered = 4;
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 10, concurrency: 2);
        var held = new TaskCompletionSource();
        stub.Script = r => r.Number <= answered ? StubEvaluation.Opinion(r) : StubEvaluation.Opinion(r) with { Gate = held.Task };

        using var victim = AdaemProcess.Start(setup.Evaluate, Env(), setup.Directory);
        var exited = victim.Process.WaitForExitAsync(Ct);
        try
        {
            await Poll.UntilAsync(
                () => stub.Count >= answered + 2 && StoreProbe.Answered(setup.Store) >= answered,
                "the evaluate to be mid-way",
                exited,
                details: () => victim.StandardError
            );
            victim.Process.Kill(); // SIGKILL: no handler runs, the lease stays behind
            await exited;
        }
        finally
        {
            held.TrySetResult();
        }
        Assert.Equal("evaluate:running", StoreProbe.RunStatus(setup.Store, "main"));
        var dead = StoreProbe.Lease(setup.Store, "main");
        Assert.NotNull(dead);
        Assert.Equal(victim.Process.Id, dead.Pid);
        Assert.NotEmpty(StoreProbe.ClaimTokens(setup.Store)); // its two calls in flight were claimed

        // Its heartbeat is seconds old, but its process is gone from this host: no need to wait 30 s.
        var runs = await CliProcess.RunAsync(setup.Directory, Env(), "runs", "-c", setup.Config);
        Assert.True(runs.ExitCode == 0, runs.All);
        Assert.Contains("│ stale ", runs.Stdout);
        Assert.Contains($"run 'main' was held by pid {victim.Process.Id} on {Environment.MachineName} ('adaem evaluate'", runs.Stdout);
        Assert.Contains(
            $"process {victim.Process.Id} is no longer running on {Environment.MachineName}, "
                + "so that process is presumed dead (killed?)",
            runs.Stdout
        );

        var finished = stub.Requests.Where(r => r.Number <= answered).Select(r => r.Prompt).ToList();
        stub.Script = StubEvaluation.Opinion;
        var rerun = await CliProcess.RunAsync(setup.Directory, Env(), setup.Evaluate);

        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains(
            $"run 'main' was held by pid {victim.Process.Id} on {Environment.MachineName} ('adaem evaluate'), last heartbeat ",
            rerun.Stderr
        );
        Assert.Contains("(killed?); taking it over", rerun.Stderr);
        Assert.Contains("evaluate done: answers judged 20/20 (100%)", rerun.Stdout);
        Assert.All(finished, p => Assert.Equal(1, stub.CountOf(p)));
        Assert.Equal("evaluate:done", StoreProbe.RunStatus(setup.Store, "main"));
        Assert.Null(StoreProbe.Lease(setup.Store, "main"));
        Assert.Empty(StoreProbe.ClaimTokens(setup.Store));

        var after = await CliProcess.RunAsync(setup.Directory, Env(), "runs", "-c", setup.Config);
        Assert.Contains("│ done ", after.Stdout);
        Assert.DoesNotContain("running", after.Stdout);
        Assert.DoesNotContain("stale", after.Stdout);
    }

    [Fact]
    public async Task A_lease_whose_heartbeat_stopped_on_another_machine_is_refused_while_fresh_and_taken_over_once_stale()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 3, concurrency: 2);
        stub.Script = StubEvaluation.Opinion;
        var create = await CliProcess.RunAsync(setup.Directory, Env(), "runs", "-c", setup.Config); // creates the store
        Assert.True(create.ExitCode == 0, create.All);
        StoreRows.PutLease(setup.Store, "main", pid: 4242, host: "elsewhere", command: "evaluate", heartbeat: DateTimeOffset.UtcNow);
        StoreRows.PutRun(setup.Store, "main", "evaluate", "running");

        var refused = await CliProcess.RunAsync(setup.Directory, Env(stale: 5), setup.Evaluate);
        Assert.True(refused.ExitCode == 2, refused.All);
        Assert.Contains("is in use by another adaem process: pid 4242 on elsewhere ('adaem evaluate', since ", refused.Stderr);
        Assert.Equal(0, stub.Count);

        StoreRows.PutLease(
            setup.Store,
            "main",
            pid: 4242,
            host: "elsewhere",
            command: "evaluate",
            heartbeat: DateTimeOffset.UtcNow.AddMinutes(-3)
        );
        var runs = await CliProcess.RunAsync(setup.Directory, Env(stale: 5), "runs", "-c", setup.Config);
        Assert.Contains("run 'main' was held by pid 4242 on elsewhere ('adaem evaluate', since ", runs.Stdout);
        Assert.Contains(
            "last heartbeat 3 min ago): no heartbeat for more than 5 s, so that process is presumed dead (killed?)",
            runs.Stdout
        );

        var taken = await CliProcess.RunAsync(setup.Directory, Env(stale: 5), setup.Evaluate);
        Assert.True(taken.ExitCode == 0, taken.All);
        Assert.Contains(
            "run 'main' was held by pid 4242 on elsewhere ('adaem evaluate'), last heartbeat 3 min ago, "
                + "no heartbeat for more than 5 s (killed?); taking it over",
            taken.Stderr
        );
        Assert.Equal("evaluate:done", StoreProbe.RunStatus(setup.Store, "main"));
    }

    private static Dictionary<string, string> Env(int? stale = null)
    {
        var env = new Dictionary<string, string>(StubEvaluation.Environment);
        if (stale is { } s)
            env["ADAEM_LEASE_STALE_S"] = s.ToString(CultureInfo.InvariantCulture);
        return env;
    }
}
