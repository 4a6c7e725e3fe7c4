using System.Diagnostics;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>Ctrl-C in the middle of `adaem evaluate`: a real child process, a real SIGINT, a rerun that finishes.</summary>
public sealed class InterruptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_first_ctrl_c_stops_evaluate_with_130_and_a_rerun_finishes_without_asking_a_finished_call_again()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            Assert.Skip("sends SIGINT with kill(1)");
        const int answered = 4,
            concurrency = 2;
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 10, concurrency: concurrency);
        // The first answers come back; later requests are held until the test lets them go, so the run is mid-way when interrupted.
        var held = new TaskCompletionSource();
        stub.Script = r => r.Number <= answered ? StubEvaluation.Opinion(r) : StubEvaluation.Opinion(r) with { Gate = held.Task };

        var psi = CliProcess.StartInfo(setup.Directory, setup.Evaluate);
        foreach (var (k, v) in StubEvaluation.Environment)
            psi.Environment[k] = v;
        using var child = Process.Start(psi)!;
        var stdout = child.StandardOutput.ReadToEndAsync(Ct);
        var stderr = child.StandardError.ReadToEndAsync(Ct);
        var exited = child.WaitForExitAsync(Ct);
        try
        {
            // Held requests in every slot, and the answered calls in the store: the run is mid-way.
            var busy = stub.WaitForRequestsAsync(answered + concurrency, Ct);
            Assert.Same(busy, await Task.WhenAny(busy, exited));
            while (setup.Ledger("remote").Answered < answered)
            {
                Assert.False(exited.IsCompleted, "the evaluation ended before it was interrupted");
                await Task.Delay(20, Ct);
            }

            using (var kill = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(Ct);
            await exited;
        }
        finally
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
            held.TrySetResult();
        }

        var err = await stderr;
        Assert.True(child.ExitCode == 130, $"exit {child.ExitCode}\n{await stdout}\n{err}");
        Assert.Contains("interrupted: every finished model call is saved; run the same command again to resume.", err);
        Assert.Contains("evaluate stopped: answers judged", await stdout);
        Assert.Equal("evaluate:interrupted", setup.RunStatus());
        Assert.Equal(answered, setup.Ledger("remote").Answered);

        var finished = stub.Requests.Where(r => r.Number <= answered).Select(r => r.Prompt).ToList();
        stub.Script = StubEvaluation.Opinion;
        var rerun = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("evaluate done: answers judged 20/20 (100%)", rerun.Stdout);
        Assert.All(finished, p => Assert.Equal(1, stub.CountOf(p)));
        Assert.Equal(10, setup.Ledger("remote").Answered);
        Assert.Equal("evaluate:done", setup.RunStatus());
    }
}
