using System.Diagnostics;
using Adaem.RunFiles;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// A real `adaem evaluate` killed with SIGKILL while it replaces its output files leaves the previous files
/// whole, and the next run clears what the killed one left behind. The moment is made certain by the writer's
/// test hook (<see cref="AtomicFile.PauseVariable"/>), not by timing.
/// </summary>
public sealed class AtomicOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluate_killed_with_sigkill_while_writing_leaves_the_previous_responses_whole_and_the_next_run_cleans_up()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 3);
        stub.Script = StubEvaluation.Opinion;
        var outDir = Path.Combine(setup.Directory, "out", "main");
        var first = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);
        Assert.True(first.ExitCode == 0, first.All);
        var responses = Path.Combine(outDir, "responses.jsonl");
        var previous = await File.ReadAllBytesAsync(responses, Ct);
        Assert.Equal(6, File.ReadAllLines(responses).Length);

        // More questions, so the new responses.jsonl differs; the writer stops just before its rename.
        var more = StubEvaluation.WriteQuestions(setup.Directory, "more.jsonl", 5);
        var marker = Path.Combine(setup.Directory, "paused");
        var psi = CliProcess.StartInfo(setup.Directory, "evaluate", "-c", setup.Config, "--questions", more, "--quiet");
        foreach (var (k, v) in StubEvaluation.Environment)
            psi.Environment[k] = v;
        psi.Environment[AtomicFile.PauseVariable] = marker;
        using (var child = Process.Start(psi)!)
        {
            var stdout = child.StandardOutput.ReadToEndAsync(Ct);
            var stderr = child.StandardError.ReadToEndAsync(Ct);
            try
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (!File.Exists(marker))
                {
                    if (child.HasExited)
                        Assert.Fail($"the evaluation ended before writing: {await stdout}{await stderr}");
                    Assert.True(DateTime.UtcNow < deadline, "the writer never paused");
                    await Task.Delay(20, Ct);
                }
                Assert.Equal(responses, await File.ReadAllTextAsync(marker, Ct));
                child.Kill(); // SIGKILL: no handler, no finally
                await child.WaitForExitAsync(Ct);
            }
            finally
            {
                if (!child.HasExited)
                    child.Kill(entireProcessTree: true);
            }
            Assert.Equal(137, child.ExitCode);
        }

        Assert.Equal(previous, await File.ReadAllBytesAsync(responses, Ct));
        var leftovers = Directory.GetFiles(outDir, $".responses.jsonl.*{AtomicFile.TempSuffix}");
        Assert.Single(leftovers); // the killed writer's whole new file, never renamed
        Assert.Equal(10, File.ReadAllLines(leftovers[0]).Length);

        File.Delete(marker);
        var rerun = await CliProcess.RunAsync(
            setup.Directory,
            StubEvaluation.Environment,
            "evaluate",
            "-c",
            setup.Config,
            "--questions",
            more,
            "--quiet"
        );
        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Equal(10, File.ReadAllLines(responses).Length);
        Assert.Empty(Directory.GetFiles(outDir, $"*{AtomicFile.TempSuffix}"));
    }
}
