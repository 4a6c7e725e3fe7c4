using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Tests.Providers;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// Evaluation keeps as many items in flight as each model's own limits allow (issue 12), not a constant:
/// against a loopback server, a target with concurrency 40 sees 40 requests at once, and never more.
/// </summary>
public sealed class InFlightTests
{
    private const string Reply =
        "Stance: yes\nKey Points:\n1. Order: rules keep people safe.\n2. Duty: tradition matters.\n3. Success: it pays off.";

    [Theory]
    [InlineData(40)]
    [InlineData(3)]
    public async Task A_target_gets_as_many_calls_in_flight_as_its_concurrency_and_no_more(int concurrency)
    {
        await using var h = await EngineHarness.StartAsync(
            modelOptions: $"concurrency: {concurrency}",
            extraYaml: "  judge: { provider: simulated, seed: 9 }"
        );
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrivals = 0;
        // Every request waits until `concurrency` of them are in the server at once; only a scheduler that lets
        // that many items run together gets past the gate.
        h.Stub.Script = _ =>
        {
            if (Interlocked.Increment(ref arrivals) >= concurrency)
                gate.TrySetResult();
            return StubReply.Chat(Reply) with { Gate = gate.Task };
        };
        var theory = TheoryLoader.Load("schwartz10", h.Dir);
        var judging = new OpinionJudging(h.Pool, h.Store, theory, new JudgeSettings("judge", JudgeConfig.Batched));
        var questions = Respondents.Questions(concurrency * 2);

        var run = judging.EvaluateAsync("r", Purposes.Evaluate, questions, ["stub"], null, TestContext.Current.CancellationToken);
        await gate.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        var responses = await run;

        Assert.Equal(concurrency * 2, responses.Count);
        Assert.All(responses, r => Assert.False(r.Failed, r.Failure));
        Assert.Equal(concurrency, h.Stub.MaxInFlight);
    }
}
