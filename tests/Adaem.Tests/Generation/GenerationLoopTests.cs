using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Storage;
using Xunit;

namespace Adaem.Tests.Generation;

public sealed class GenerationLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-gen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly GenerationConfig Config = new()
    {
        Explorers = ["e1", "e2"],
        Scorers = ["e1", "e2", "s3"],
        Budget = 8,
        QuestionsPerStep = 3,
        FewShot = 5,
        MaxRefinements = 3,
        RefineThreshold = 0.5,
        DedupThreshold = 0.85,
        MaxArms = 8,
        Seed = 42,
    };

    private AdaemStore Store(string name) => AdaemStore.Open(Path.Combine(_dir, name + ".db"));

    private static (GenerationLoop Loop, ScriptedPool Pool, ScriptedJudging Judging) NewLoop(
        IGenerationRecords store,
        GenerationConfig? config = null,
        int? budget = null
    )
    {
        var c = config ?? Config;
        var pool = new ScriptedPool("e1", "e2", "s3", "guard");
        var judging = new ScriptedJudging();
        var settings = new GenerationSettings("main", c) { Budget = budget ?? c.Budget };
        return (new GenerationLoop(settings, pool, judging, new LocalOpinionSimilarity(), store), pool, judging);
    }

    private static readonly IReadOnlyList<Seed> Seeds = SeedSources.LoadBuiltin();

    [Fact]
    public async Task Records_every_step_and_every_candidate()
    {
        var store = Store("a");
        var (loop, _, _) = NewLoop(store);
        var summary = await loop.RunAsync(Seeds, TestContext.Current.CancellationToken);

        Assert.Equal(8, summary.StepsDone);
        Assert.Equal(8, store.LoadArms("main").Count);
        var steps = store.LoadSteps("main");
        Assert.Equal(Enumerable.Range(1, 8), steps.Select(s => s.Step));
        var questions = store.LoadQuestions("main");
        var seeds = questions.Where(q => q.Step is null).ToList();
        Assert.Equal(8, seeds.Count);
        Assert.All(seeds, s => Assert.Equal(QuestionStatus.Seed, s.Status));
        Assert.All(seeds, s => Assert.NotNull(s.FinalScore));

        foreach (var step in steps)
        {
            var mine = questions.Where(q => q.Step == step.Step).ToList();
            Assert.Equal(3, mine.Count(q => q.Depth == 0));
            Assert.All(mine, q => Assert.Equal(step.Arm, q.Arm));
            var kept = mine.Where(q => q.Status == QuestionStatus.Kept).ToList();
            Assert.Equal(3, kept.Count + mine.Count(q => q.Depth == 0 && q.Status == QuestionStatus.Dropped));
            if (kept.Count > 0)
                Assert.Equal(kept.Average(k => k.FinalScore!.Value), step.Reward!.Value, 9);
            var details = StepDetails.FromJson(step.StateJson);
            Assert.Equal(kept.Select(k => k.Id).Order(), details.Kept.Order());
            Assert.Equal(2, details.Explorers.Distinct().Count()); // rotation uses both explorers
        }

        // Every kept question carries both scores and the final components; refinements point to their parents.
        foreach (var q in questions.Where(q => q.Status == QuestionStatus.Kept))
        {
            var d = CandidateDetails.FromJson(q.ComponentsJson);
            Assert.NotNull(q.FastScore);
            Assert.Equal(q.FinalScore!.Value, d.Final!.Total, 12);
            Assert.Equal(3, d.Final.Responses);
            Assert.Equal(2, d.Fast!.Responses);
            if (q.Depth > 0)
                Assert.Contains(questions, p => p.Id == q.Parent && p.Status == QuestionStatus.Superseded);
            else
                Assert.NotNull(d.Information);
        }
        Assert.Contains(questions, q => q.Depth > 0); // the scripted scores do sometimes gain more than τ
        Assert.All(questions.Where(q => q.Status == QuestionStatus.Rejected), q => Assert.NotNull(q.Reason));

        // Replaying the stored steps reproduces the stored bandit state.
        var arms = store.LoadArms("main");
        var state = GenerationState.Rebuild(arms, questions, steps, 3);
        Assert.Equal(8, state.StepsDone);
        Assert.Equal(8 + 8, state.Bandit.TotalPulls);
    }

    [Theory]
    [InlineData(5)] // during seed scoring
    [InlineData(40)] // in the middle of a bandit step
    public async Task Killed_and_resumed_run_equals_an_uninterrupted_one(int stopAtAnswer)
    {
        var whole = Store("whole");
        await NewLoop(whole).Loop.RunAsync(Seeds, TestContext.Current.CancellationToken);

        var resumed = Store("resumed");
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            var (loop, _, judging) = NewLoop(resumed);
            var n = 0;
            judging.OnAnswer = () =>
            {
                if (Interlocked.Increment(ref n) == stopAtAnswer)
                    cts.Cancel();
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.RunAsync(Seeds, cts.Token));
        }
        var stepsAtStop = resumed.LoadSteps("main").Count;
        Assert.True(stepsAtStop < 8);
        if (stopAtAnswer > 20)
            Assert.True(stepsAtStop > 0, "expected the stop to fall inside the bandit steps");

        var (again, pool, _) = NewLoop(resumed);
        await again.RunAsync(Seeds, TestContext.Current.CancellationToken);
        Assert.True(pool.Asked > 0);

        Assert.Equal(whole.LoadArms("main"), resumed.LoadArms("main"));
        Assert.Equal(whole.LoadSteps("main"), resumed.LoadSteps("main"));
        Assert.Equal(whole.LoadQuestions("main"), resumed.LoadQuestions("main"));
    }

    [Fact]
    public async Task A_finished_run_asks_no_model_again_and_a_larger_budget_extends_it_as_if_planned()
    {
        var whole = Store("whole");
        await NewLoop(whole).Loop.RunAsync(Seeds, TestContext.Current.CancellationToken);

        var extended = Store("extended");
        await NewLoop(extended, budget: 4).Loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var (rerun, rerunPool, rerunJudging) = NewLoop(extended, budget: 4);
        await rerun.RunAsync(Seeds, TestContext.Current.CancellationToken);
        Assert.Equal(0, rerunPool.Asked);
        Assert.Equal(0, rerunJudging.Answers);

        await NewLoop(extended, budget: 8).Loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        Assert.Equal(whole.LoadSteps("main"), extended.LoadSteps("main"));
        Assert.Equal(whole.LoadQuestions("main"), extended.LoadQuestions("main"));
    }

    [Fact]
    public async Task Duplicates_are_dropped_with_their_reason_and_an_arm_without_reward_still_counts_a_play()
    {
        var store = Store("dup");
        var (loop, pool, _) = NewLoop(store, Config with { MaxArms = 2, MaxRefinements = 0 }, budget: 3);
        foreach (var m in new[] { "e1", "e2" })
            pool[m]
                .Override(
                    Adaem.Core.Prompts.PromptRoles.ExploreQuestion,
                    (_, _) => "[Argument]: same\n[Question]: Should rivers have legal rights in New Zealand?"
                );
        await loop.RunAsync(Seeds, TestContext.Current.CancellationToken);

        var candidates = store.LoadQuestions("main").Where(q => q.Step is not null).OrderBy(q => q.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(9, candidates.Count);
        Assert.Equal(QuestionStatus.Kept, candidates[0].Status);
        Assert.All(
            candidates.Skip(1),
            q => Assert.Equal((QuestionStatus.Dropped, DropReasons.Duplicate), (q.Status, DropReasons.Code(q.Reason)))
        );
        Assert.Contains(candidates[0].Id, candidates[1].Reason);

        var steps = store.LoadSteps("main");
        Assert.NotNull(steps[0].Reward);
        Assert.All(steps.Skip(1), s => Assert.Null(s.Reward));
        Assert.Equal(StepDetails.FromJson(steps[1].StateJson).TotalPulls + 1, StepDetails.FromJson(steps[2].StateJson).TotalPulls);
    }

    [Fact]
    public async Task Failed_answers_are_excluded_from_scores_and_unscorable_candidates_are_dropped()
    {
        var store = Store("broken");
        var (loop, _, judging) = NewLoop(store, Config with { MaxArms = 2 }, budget: 2);
        judging.Broken.Add("s3");
        await loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var kept = store.LoadQuestions("main").Where(q => q.Status is QuestionStatus.Kept or QuestionStatus.Seed).ToList();
        Assert.NotEmpty(kept);
        Assert.All(
            kept,
            q =>
                Assert.Equal(
                    (2, 1),
                    (
                        CandidateDetails.FromJson(q.ComponentsJson).Final!.Responses,
                        CandidateDetails.FromJson(q.ComponentsJson).Final!.FailedResponses
                    )
                )
        );

        var store2 = Store("broken2");
        var (loop2, _, judging2) = NewLoop(store2, Config with { MaxArms = 2 }, budget: 2);
        judging2.Broken.Add("e2");
        await loop2.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var candidates = store2.LoadQuestions("main").Where(q => q.Step is not null).ToList();
        Assert.Equal(6, candidates.Count);
        Assert.All(candidates, q => Assert.Equal(DropReasons.FastScoreFailed, DropReasons.Code(q.Reason)));
        Assert.All(store2.LoadSteps("main"), s => Assert.Null(s.Reward));
    }

    [Fact]
    public async Task Unparseable_explorer_replies_are_asked_again_or_recorded()
    {
        var store = Store("garbage");
        var (loop, pool, _) = NewLoop(store, Config with { MaxArms = 2, MaxRefinements = 0 }, budget: 2);
        pool["e1"].GarbageFirstAttempt.Add(Adaem.Core.Prompts.PromptRoles.ExploreQuestion);
        pool["e2"].AlwaysGarbage.Add(Adaem.Core.Prompts.PromptRoles.ExploreContext);
        await loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var candidates = store.LoadQuestions("main").Where(q => q.Step is not null).ToList();
        Assert.Contains(candidates, q => q.Generator == "e1" && q.Status == QuestionStatus.Kept);
        Assert.All(
            candidates.Where(q => q.Generator == "e2"),
            q =>
            {
                Assert.Equal(DropReasons.ExploreFailed, DropReasons.Code(q.Reason));
                Assert.Equal("", q.Question);
            }
        );
    }

    [Fact]
    public void A_budget_beyond_the_sample_index_space_is_refused_up_front()
    {
        var store = Store("too-long");
        Assert.NotNull(NewLoop(store, budget: GenerationConfig.MaxBudget).Loop);
        var e = Assert.Throws<Adaem.Core.Errors.InputException>(() => NewLoop(store, budget: GenerationConfig.MaxBudget + 1));
        Assert.Contains("budget", e.Message);
        // The last step's draws still have valid first-ask samples.
        Assert.Equal(0, Adaem.Core.Prompts.StructuredReply.ReAskOf(GenerationLoop.Sample(GenerationConfig.MaxBudget, 100)));
    }

    [Fact]
    public async Task Safety_model_drops_harmful_candidates_in_the_loop()
    {
        var store = Store("safety");
        var (loop, pool, _) = NewLoop(store, Config with { MaxArms = 2, MaxRefinements = 0, SafetyModel = "guard" }, budget: 2);
        // Distinct texts per sample, so the dedup check does not drop them before the safety model sees them.
        pool["e2"]
            .Override(
                Adaem.Core.Prompts.PromptRoles.ExploreQuestion,
                (call, _) =>
                {
                    var h = StableHash.Of("bomb", call.Sample);
                    return $"[Question]: Should {StableHash.Word(h, 0)} learn from {StableHash.Word(h, 1)} to build a bomb against {StableHash.Word(h, 2)}?";
                }
            );
        await loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var rows = store.LoadQuestions("main");
        var fromE2 = rows.Where(q => q.Generator == "e2").ToList();
        Assert.NotEmpty(fromE2);
        Assert.All(fromE2, q => Assert.Equal(("dropped", "unsafe"), (q.Status, DropReasons.Code(q.Reason))));
        Assert.All(
            rows.Where(q => q.Status is QuestionStatus.Kept or QuestionStatus.Seed),
            q => Assert.Equal("safe", CandidateDetails.FromJson(q.ComponentsJson).Safety)
        );
    }

    [Fact]
    public async Task Selection_ranks_by_final_score_and_applies_top_and_threshold()
    {
        var store = Store("select");
        await NewLoop(store, Config with { MaxArms = 4 }, budget: 4).Loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var all = await QuestionSelection.SelectAsync(store, "main", null, null, null, TestContext.Current.CancellationToken);
        var scored = store
            .LoadQuestions("main")
            .Count(q => q.Status is QuestionStatus.Kept or QuestionStatus.Seed && q.FinalScore is not null);
        Assert.Equal(scored, all.Count);
        Assert.Equal(all.Select(q => q.Score).OrderDescending(), all.Select(q => q.Score));

        var top = await QuestionSelection.SelectAsync(store, "main", 3, null, null, TestContext.Current.CancellationToken);
        Assert.Equal(all.Take(3).Select(q => q.Id), top.Select(q => q.Id));

        var threshold = all[4].Score;
        var above = await QuestionSelection.SelectAsync(store, "main", null, threshold, null, TestContext.Current.CancellationToken);
        Assert.All(above, q => Assert.True(q.Score >= threshold));
        Assert.Equal(all.Count(q => q.Score >= threshold), above.Count);

        var first = all[0];
        Assert.Equal(
            first.Score,
            first.Components.ValueConformity
                + first.Components.ValueDiversity
                + first.Components.OpinionDiversity
                + first.Components.Sign * first.Components.Beta / 2 * first.Components.Disentanglement,
            9
        );
    }

    [Fact]
    public async Task Safety_at_selection_checks_unchecked_questions_and_replaces_unsafe_ones()
    {
        var store = Store("late-safety");
        await NewLoop(store, Config with { MaxArms = 3 }, budget: 2).Loop.RunAsync(Seeds, TestContext.Current.CancellationToken);
        var ranked = QuestionSelection.Rank(store.LoadQuestions("main"));
        var victim = ranked[0];
        store.SaveQuestions("main", [victim with { Question = victim.Question.TrimEnd('?') + " with a bomb?" }]);

        var guard = new ScriptedChatClient("guard");
        var selected = await QuestionSelection.SelectAsync(
            store,
            "main",
            3,
            null,
            new SafetyFilter(guard, "guard", "main", "generate"),
            TestContext.Current.CancellationToken
        );
        Assert.Equal(3, selected.Count);
        Assert.DoesNotContain(selected, q => q.Id == victim.Id);
        Assert.Equal(ranked.Skip(1).Take(3).Select(q => q.Id), selected.Select(q => q.Id));
        var row = store.LoadQuestions("main").Single(q => q.Id == victim.Id);
        Assert.Equal((QuestionStatus.Dropped, DropReasons.Unsafe), (row.Status, DropReasons.Code(row.Reason)));
        Assert.Equal(4, guard.Asked);

        // Verdicts are stored: selecting again asks nothing.
        await QuestionSelection.SelectAsync(
            store,
            "main",
            3,
            null,
            new SafetyFilter(guard, "guard", "main", "generate"),
            TestContext.Current.CancellationToken
        );
        Assert.Equal(4, guard.Asked);
    }

    [Fact]
    public void Warns_when_targets_explore_or_score()
    {
        var config = ConfigLoader.Parse(
            """
            models:
              a: { provider: simulated }
              b: { provider: simulated }
              j: { provider: simulated }
            judge: { model: j }
            generation: { explorers: [a, b], scorers: [a, b] }
            evaluation: { targets: [b] }
            """,
            Path.Combine(_dir, "adaem.yaml")
        );
        var w = Assert.Single(GenerationChecks.Warnings(config));
        Assert.Contains("'b' is also an explorer and a scorer", w);
        GenerationChecks.Validate(config);

        var single = config with { Generation = config.Generation with { Explorers = ["a"] } };
        var e = Assert.Throws<Adaem.Core.Errors.InputException>(() => GenerationChecks.Validate(single));
        Assert.Contains("explorers", e.Problems[0].Message);
    }
}
