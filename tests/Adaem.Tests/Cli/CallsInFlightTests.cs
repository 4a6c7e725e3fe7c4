using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// Two real processes, two runs, one store, the same questions: a call one process is making is waited for
/// by the other, never sent twice. The counting loopback stub holds every request until the test lets go.
/// </summary>
public sealed class CallsInFlightTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_evaluations_on_two_runs_of_one_store_send_each_request_once()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        // Each process keeps as many remote calls in flight as the model's concurrency allows (6).
        using var setup = new StubEvaluation(stub, questions: 10, concurrency: 6);
        // Run 'a' asks the first six questions; run 'b' all ten, so it must wait for six and ask four itself.
        var firstSix = Path.Combine(setup.Directory, "six.jsonl");
        await File.WriteAllLinesAsync(firstSix, (await File.ReadAllLinesAsync(setup.Questions, Ct)).Where(l => l.Length > 0).Take(6), Ct);
        var held = new TaskCompletionSource();
        stub.Script = r => StubEvaluation.Opinion(r) with { Gate = held.Task };
        var env = new Dictionary<string, string>(StubEvaluation.Environment);

        using var a = AdaemProcess.Start(
            ["evaluate", "-c", setup.Config, "--questions", firstSix, "--run", "a", "--quiet"],
            env,
            setup.Directory
        );
        var aExited = a.Process.WaitForExitAsync(Ct);
        using var b = AdaemProcess.Start(
            ["evaluate", "-c", setup.Config, "--questions", setup.Questions, "--run", "b", "--quiet"],
            env,
            setup.Directory,
            start: false
        );
        try
        {
            // a holds its six requests at the stub and has claimed them.
            await Poll.UntilAsync(
                () => stub.Count >= 6 && StoreProbe.ClaimTokens(setup.Store).Count >= 6,
                "run a to claim its calls",
                aExited,
                details: () => a.StandardError
            );
            b.Begin();
            var bExited = b.Process.WaitForExitAsync(Ct);
            // Once b holds its run, its first six items are calls a is asking: b waits for them instead of asking again.
            await Poll.UntilAsync(
                () => StoreProbe.Lease(setup.Store, "b") is not null,
                "run b to start",
                bExited,
                details: () => b.StandardError
            );
            Assert.Equal(6, stub.Requests.Select(r => r.Prompt).Distinct().Count());

            held.SetResult();
            await Task.WhenAll(aExited, bExited);
        }
        finally
        {
            held.TrySetResult();
        }
        a.Process.WaitForExit();
        b.Process.WaitForExit();
        Assert.True(a.Process.ExitCode == 0, a.StandardOutput + a.StandardError);
        Assert.True(b.Process.ExitCode == 0, b.StandardOutput + b.StandardError);

        Assert.Equal(10, stub.Count);
        Assert.All(stub.CountsByPrompt, p => Assert.True(p.Value == 1, $"asked {p.Value} times: {p.Key}"));
        Assert.Contains("evaluate done: answers judged 20/20 (100%)", b.StandardOutput);
        Assert.Empty(StoreProbe.ClaimTokens(setup.Store));
        // The ledger says who paid: a made its six calls, b only the four a did not make.
        Assert.Equal(6, StoreProbe.Answered(setup.Store, "a") - SimulatedAnswers(setup.Store, "a"));
        Assert.Equal(4, StoreProbe.Answered(setup.Store, "b") - SimulatedAnswers(setup.Store, "b"));
    }

    private static long SimulatedAnswers(string store, string run)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM model_calls WHERE error IS NULL AND run = $run AND provider = 'simulated'";
        cmd.Parameters.AddWithValue("$run", run);
        return (long)cmd.ExecuteScalar()!;
    }
}
