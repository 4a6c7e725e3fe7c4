using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Generation;

/// <summary>
/// The parallel bandit (generation.arms_per_round) on a scripted pool: with one arm per round the loop is the
/// sequential Algorithm 2 as it was before rounds existed (a golden record written by that code), and with
/// several arms a run is reproducible and resumable.
/// </summary>
public sealed class ParallelBanditTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-rounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IReadOnlyList<Seed> Seeds = SeedSources.LoadBuiltin();

    /// <summary>12 steps over 6 arms, so arms are played again and the UCB rule decides (not only the seed scores).</summary>
    private static readonly GenerationConfig Config = new()
    {
        Explorers = ["e1", "e2"],
        Scorers = ["e1", "e2", "s3"],
        Budget = 12,
        QuestionsPerStep = 3,
        FewShot = 5,
        MaxRefinements = 3,
        RefineThreshold = 0.5,
        DedupThreshold = 0.85,
        MaxArms = 6,
        Seed = 7,
    };

    /// <summary>Where the sequential loop's record lives (written by the pre-round code with ADAEM_WRITE_GOLDEN=1).</summary>
    private static string GoldenPath => Path.Combine(RepoPaths.Root, "tests", "Adaem.Tests", "Data", "sequential-loop.json");

    private AdaemStore Store(string name) => AdaemStore.Open(Path.Combine(_dir, name + ".db"));

    private static GenerationLoop NewLoop(IGenerationRecords store, GenerationConfig config, ScriptedJudging? judging = null) =>
        new(
            new GenerationSettings("main", config),
            new ScriptedPool("e1", "e2", "s3"),
            judging ?? new ScriptedJudging(),
            new LocalOpinionSimilarity(),
            store
        );

    /// <summary>Every stored step and question of the run, as indented JSON (doubles round-trip exactly).</summary>
    private static string Snapshot(AdaemStore store) =>
        JsonSerializer.Serialize(new { Steps = store.LoadSteps("main"), Questions = store.LoadQuestions("main") }, Indented) + "\n";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task With_one_arm_per_round_the_loop_is_the_sequential_algorithm_2()
    {
        var store = Store("k1");
        await NewLoop(store, Config).RunAsync(Seeds, Ct);
        var actual = Snapshot(store);
        if (Environment.GetEnvironmentVariable("ADAEM_WRITE_GOLDEN") == "1")
            await File.WriteAllTextAsync(GoldenPath, actual, Ct);

        var golden = await File.ReadAllTextAsync(GoldenPath, Ct);
        // The chosen arm sequence first (the clearer message), then every record byte for byte.
        static IEnumerable<string> Arms(string json) =>
            JsonDocument.Parse(json).RootElement.GetProperty("Steps").EnumerateArray().Select(s => s.GetProperty("Arm").GetString()!);
        Assert.Equal(Arms(golden), Arms(actual));
        Assert.Equal(golden, actual);
    }

    [Fact]
    public async Task With_four_arms_per_round_two_runs_store_the_same_steps_and_questions()
    {
        var config = Config with { ArmsPerRound = 4 };
        var a = Store("a");
        var b = Store("b");
        await NewLoop(a, config).RunAsync(Seeds, Ct);
        await NewLoop(b, config).RunAsync(Seeds, Ct);
        Assert.Equal(Snapshot(a), Snapshot(b));

        // Three rounds of four; within a round the positions are the selection order, with the virtual plays counted.
        var steps = a.LoadSteps("main");
        Assert.Equal(12, steps.Count);
        var details = steps.Select(s => StepDetails.FromJson(s.StateJson)).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (int?)(i % 4 + 1)), details.Select(d => d.RoundPosition));
        for (var r = 0; r < 3; r++)
        {
            var round = steps.Skip(4 * r).Take(4).ToList();
            // Every step of a round chose with the bandit as it was when the round began.
            Assert.Single(details.Skip(4 * r).Take(4).Select(d => d.TotalPulls).Distinct());
            foreach (var (step, i) in round.Select((s, i) => (s, i)))
                Assert.Equal(round.Take(i).Count(s => s.Arm == step.Arm), details[4 * r + i].VirtualPlays);
        }
        Assert.True(steps.Take(4).Select(s => s.Arm).Distinct().Count() > 1, "the first round should spread over several arms");

        // The stored steps replay to the stored bandit state, as a resumed run rebuilds it.
        var state = GenerationState.Rebuild(a.LoadArms("main"), a.LoadQuestions("main"), steps, 3);
        Assert.Equal(12, state.StepsDone);
    }

    [Theory]
    [InlineData(30)] // in the first round
    [InlineData(90)] // in a later round
    public async Task A_run_with_four_arms_per_round_stopped_mid_round_resumes_that_round_and_ends_as_an_uninterrupted_one(int stopAtAnswer)
    {
        var config = Config with { ArmsPerRound = 4 };
        var whole = Store("whole");
        await NewLoop(whole, config).RunAsync(Seeds, Ct);

        var resumed = Store("resumed");
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var judging = new ScriptedJudging();
            var n = 0;
            judging.OnAnswer = () =>
            {
                if (Interlocked.Increment(ref n) == stopAtAnswer)
                    cts.Cancel();
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewLoop(resumed, config, judging).RunAsync(Seeds, cts.Token));
        }
        var stepsAtStop = resumed.LoadSteps("main").Count;
        Assert.True(stepsAtStop < 12, $"the run finished ({stepsAtStop} steps) before it was stopped");
        Assert.Equal(0, stepsAtStop % 4); // rounds are stored whole
        if (stopAtAnswer > 60)
            Assert.True(stepsAtStop > 0, "expected the stop to fall after the first round");

        await NewLoop(resumed, config).RunAsync(Seeds, Ct);
        Assert.Equal(Snapshot(whole), Snapshot(resumed));
    }

    /// <summary>Keeps the loop's warnings.</summary>
    private sealed class Warnings : IGenerationProgress
    {
        public List<string> Messages { get; } = [];

        public void SeedsStarted(int total, int alreadyScored) { }

        public void SeedScored(string arm, double? score) { }

        public void StepsStarted(int budget, int alreadyDone) { }

        public void StepFinished(StepSummary step) { }

        public void Warning(string message) => Messages.Add(message);
    }

    private static async Task<IReadOnlyList<string>> RunWithBudgetAsync(AdaemStore store, GenerationConfig config, int budget)
    {
        var warnings = new Warnings();
        var settings = new GenerationSettings("main", config) { Budget = budget };
        var loop = new GenerationLoop(
            settings,
            new ScriptedPool("e1", "e2", "s3"),
            new ScriptedJudging(),
            new LocalOpinionSimilarity(),
            store,
            warnings
        );
        await loop.RunAsync(Seeds, Ct);
        return warnings.Messages;
    }

    [Fact]
    public async Task Extending_a_budget_of_whole_rounds_equals_the_planned_run_and_a_cut_last_round_is_warned_about()
    {
        var config = Config with { ArmsPerRound = 4 };
        var planned = Store("planned");
        Assert.Empty(await RunWithBudgetAsync(planned, config, 12));

        // 8 steps are two whole rounds: extended to 12, the run is the one planned with 12.
        var whole = Store("whole");
        Assert.Empty(await RunWithBudgetAsync(whole, config, 8));
        Assert.Empty(await RunWithBudgetAsync(whole, config, 12));
        Assert.Equal(Snapshot(planned), Snapshot(whole));

        // 6 steps end in a round cut to 2: extending says that the rounds from step 7 on are not the planned run's.
        var cut = Store("cut");
        Assert.Empty(await RunWithBudgetAsync(cut, config, 6));
        var warning = Assert.Single(await RunWithBudgetAsync(cut, config, 12));
        Assert.Contains("has 6 stored steps, not a whole number of rounds of arms_per_round 4", warning);
        Assert.Contains("does not give what a run planned with budget 12 from the start gives", warning);
        Assert.Equal(12, cut.LoadSteps("main").Count);
        Assert.NotEqual(Snapshot(planned), Snapshot(cut));
        // A finished run run again is not extended: no warning.
        Assert.Empty(await RunWithBudgetAsync(cut, config, 12));
    }

    [Fact]
    public async Task A_question_that_repeats_an_earlier_step_of_its_round_is_dropped_when_the_round_is_merged()
    {
        var store = Store("dup");
        var pool = new ScriptedPool("e1", "e2", "s3");
        foreach (var m in new[] { "e1", "e2" })
            pool[m]
                .Override(
                    Adaem.Core.Prompts.PromptRoles.ExploreQuestion,
                    (_, _) => "[Argument]: same\n[Question]: Should rivers have legal rights in New Zealand?"
                );
        var config = Config with { MaxArms = 2, MaxRefinements = 0, ArmsPerRound = 2 };
        var loop = new GenerationLoop(
            new GenerationSettings("main", config) { Budget = 2 },
            pool,
            new ScriptedJudging(),
            new LocalOpinionSimilarity(),
            store
        );
        await loop.RunAsync(Seeds, Ct);

        var candidates = store.LoadQuestions("main").Where(q => q.Step is not null).ToDictionary(q => q.Id, StringComparer.Ordinal);
        Assert.Equal(6, candidates.Count);
        Assert.Equal(QuestionStatus.Kept, candidates["q00001-1"].Status);
        // Step 2 played beside step 1 and could not see its question: the duplicate was scored, then dropped at the merge.
        var merged = candidates["q00002-1"];
        Assert.Equal((QuestionStatus.Dropped, DropReasons.Duplicate), (merged.Status, DropReasons.Code(merged.Reason)));
        Assert.Contains("same text as q00001-1", merged.Reason);
        Assert.Contains("same round", merged.Reason);
        Assert.NotNull(merged.FinalScore);
        // Within each step the later draws repeat its own first draw and are dropped before scoring, as in the sequential loop.
        foreach (var id in new[] { "q00001-2", "q00001-3", "q00002-2", "q00002-3" })
        {
            Assert.Equal(DropReasons.Duplicate, DropReasons.Code(candidates[id].Reason));
            Assert.Null(candidates[id].FinalScore);
        }
        Assert.Null(store.LoadSteps("main")[1].Reward);

        // Replaying the run (as a resume does) leaves the merged duplicate out of the dedup index, like the live run.
        var state = GenerationState.Rebuild(store.LoadArms("main"), store.LoadQuestions("main"), store.LoadSteps("main"), 3);
        Assert.Equal(2 + 1, state.Dedup.Count);
    }
}
