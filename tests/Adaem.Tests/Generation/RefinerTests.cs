using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Xunit;

namespace Adaem.Tests.Generation;

public class RefinerTests
{
    private static readonly IReadOnlySet<string> NoValues = new HashSet<string>();

    /// <summary>A fast score that depends only on how many rewrites the text went through (the scripted refine appends "despite
    /// ...").</summary>
    private static Func<QuestionRecord, CancellationToken, Task<(IReadOnlySet<string>, ScoreOutcome)>> ScoreByDepth(
        params double[] scores
    ) =>
        (q, _) =>
        {
            var depth = q.Question.Split("despite").Length - 1;
            return Task.FromResult((NoValues, Outcome(scores[Math.Min(depth, scores.Length - 1)])));
        };

    private static ScoreOutcome Outcome(double total)
    {
        var responses = new[]
        {
            new JudgedResponse("q", "m1", 0, new ParsedResponse(Stances.Yes, [new Opinion("p", "j")]), [new HashSet<string> { "power" }]),
            new JudgedResponse("q", "m2", 0, new ParsedResponse(Stances.No, [new Opinion("r", "k")]), [new HashSet<string> { "security" }]),
        };
        return new ScoreOutcome(new ScoreComponents { Total = total }, responses, null);
    }

    private static ScoredCandidate Start(double score) =>
        new(
            new QuestionRecord
            {
                Id = "q00001-1",
                Arm = "arm",
                Question = "Should farmers fund ferries?",
                Step = 1,
                Depth = 0,
                Status = QuestionStatus.Kept,
                FastScore = score,
            },
            new CandidateDetails(),
            Outcome(score),
            NoValues
        );

    private static Refiner NewRefiner(
        ScriptedChatClient explorer,
        double tau,
        int max,
        Func<QuestionRecord, CancellationToken, Task<(IReadOnlySet<string>, ScoreOutcome)>> score
    ) => new(explorer, explorer.Name, "run", "generate", tau, max, score);

    [Fact]
    public async Task Stops_at_the_first_rewrite_that_does_not_gain_more_than_tau()
    {
        var explorer = new ScriptedChatClient("e1");
        // 5.0 → 6.0 (gain 1.0, taken) → 6.3 (gain 0.3 ≤ 0.5, rejected, stop).
        var r = await NewRefiner(explorer, 0.5, 3, ScoreByDepth(5.0, 6.0, 6.3, 9.0))
            .RefineAsync(Start(5.0), "Should farmers be subsidised?", 10, TestContext.Current.CancellationToken);
        Assert.Equal(1, r.Final.Record.Depth);
        Assert.Equal("q00001-1.r1", r.Final.Record.Id);
        Assert.Equal("q00001-1", r.Final.Record.Parent);
        Assert.Equal(6.0, r.Final.Fast.Total);
        Assert.Equal(1.0, r.Final.Details.Gain!.Value, 12);
        Assert.Equal(2, r.Discarded.Count);
        Assert.Equal((QuestionStatus.Superseded, 0), (r.Discarded[0].Record.Status, r.Discarded[0].Record.Depth));
        var rejected = r.Discarded[1].Record;
        Assert.Equal(QuestionStatus.Rejected, rejected.Status);
        Assert.Equal(2, rejected.Depth);
        Assert.Equal(DropReasons.NoGain, DropReasons.Code(rejected.Reason));
        Assert.Equal(4, explorer.Asked); // two reflect+refine rounds
    }

    [Fact]
    public async Task A_gain_of_exactly_tau_is_not_enough()
    {
        var explorer = new ScriptedChatClient("e1");
        var r = await NewRefiner(explorer, 0.5, 3, ScoreByDepth(5.0, 5.5))
            .RefineAsync(Start(5.0), "g", 10, TestContext.Current.CancellationToken);
        Assert.Equal(0, r.Final.Record.Depth);
        Assert.Single(r.Discarded);
        Assert.Equal(QuestionStatus.Rejected, r.Discarded[0].Record.Status);
    }

    [Fact]
    public async Task Stops_at_the_depth_limit_while_still_gaining()
    {
        var explorer = new ScriptedChatClient("e1");
        var r = await NewRefiner(explorer, 0.5, 3, ScoreByDepth(5, 6, 7, 8, 9, 10))
            .RefineAsync(Start(5.0), "g", 10, TestContext.Current.CancellationToken);
        Assert.Equal(3, r.Final.Record.Depth);
        Assert.Equal("q00001-1.r3", r.Final.Record.Id);
        Assert.Equal("q00001-1.r2", r.Final.Record.Parent);
        Assert.Equal(8.0, r.Final.Fast.Total);
        Assert.All(r.Discarded, d => Assert.Equal(QuestionStatus.Superseded, d.Record.Status));
        Assert.Equal([0, 1, 2], r.Discarded.Select(d => d.Record.Depth));
        Assert.Equal(6, explorer.Asked);
    }

    [Fact]
    public async Task No_refinement_when_the_limit_is_zero()
    {
        var explorer = new ScriptedChatClient("e1");
        var r = await NewRefiner(explorer, 0.5, 0, ScoreByDepth(5, 9))
            .RefineAsync(Start(5.0), "g", 10, TestContext.Current.CancellationToken);
        Assert.Equal(0, r.Final.Record.Depth);
        Assert.Empty(r.Discarded);
        Assert.Equal(0, explorer.Asked);
    }

    [Fact]
    public async Task Unparseable_rewrite_is_asked_again_then_recorded()
    {
        var explorer = new ScriptedChatClient("e1");
        explorer.AlwaysGarbage.Add(Adaem.Core.Prompts.PromptRoles.Refine);
        var r = await NewRefiner(explorer, 0.5, 3, ScoreByDepth(5, 9))
            .RefineAsync(Start(5.0), "g", 10, TestContext.Current.CancellationToken);
        Assert.Equal(0, r.Final.Record.Depth);
        var failed = Assert.Single(r.Discarded).Record;
        Assert.Equal(DropReasons.RefineFailed, DropReasons.Code(failed.Reason));
        Assert.Equal(1 + 3, explorer.Asked); // one reflection, three attempts at the rewrite
    }
}
