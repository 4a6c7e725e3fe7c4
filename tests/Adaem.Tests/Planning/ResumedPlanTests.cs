using Adaem.Core.Configuration;
using Adaem.Core.Planning;
using Adaem.Core.Prompts;
using Adaem.Providers.Planning;
using Adaem.Storage;
using Adaem.Tests.Support;

namespace Adaem.Tests.Planning;

/// <summary>
/// The plan of a generation run the store has started: a real `adaem generate --budget 2` on the simulated pool, then
/// plans of the same run with larger and equal budgets. Only the steps after the stored ones and the seeds not scored
/// are planned, as generate resumes; a run not started is planned in full.
/// </summary>
public sealed class ResumedPlanTests : IDisposable
{
    private const int StepsRun = 2;
    private const int Arms = 3;
    private const int PerStep = 3;
    private static readonly string[] StepRoles =
    [
        PromptRoles.ExploreContext,
        PromptRoles.ExploreQuestion,
        PromptRoles.Reflect,
        PromptRoles.Refine,
    ];

    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    /// <summary>Generates run 'r' for <see cref="StepsRun"/> steps through the CLI and returns the config.</summary>
    private async Task<AdaemConfig> GeneratedAsync()
    {
        var path = TestConfig.SimulatedGeneration().WriteTo(_dir);
        var r = await CliProcess.RunAsync(_dir.Path, "generate", "-c", path, "--run", "r", "--budget", $"{StepsRun}", "--quiet");
        Assert.True(r.ExitCode == 0, r.All);
        return ConfigLoader.Load(path);
    }

    private static async Task<StagePlan> GenerateStage(
        AdaemConfig config,
        AdaemStore store,
        string run,
        int budget,
        List<string>? notes = null
    )
    {
        var plan = await PlanWiring.MakeAsync(
            config,
            store,
            new PlanRequest(run, Path.Combine(config.Directory, "out", run), Budget: budget),
            2.0,
            false,
            Ct
        );
        notes?.AddRange(plan.Assumptions);
        return plan.Stages.Single(s => s.Stage == "generate");
    }

    private static double Calls(StagePlan stage, string role, string? model = null) =>
        stage.Calls.Where(c => c.Role == role && (model is null || c.Model == model)).Sum(c => c.Calls);

    [Fact]
    public async Task A_started_run_is_planned_for_its_remaining_steps_only_and_a_finished_budget_for_no_step()
    {
        var config = await GeneratedAsync();
        var store = AdaemStore.Open(config.StorePath);
        Assert.Equal(StepsRun, store.LoadSteps("r").Count);

        var notes = new List<string>();
        var resumed = await GenerateStage(config, store, "r", 6, notes);
        // A run the store has not started, planned on the same store (same measurements) for the 4 steps left.
        var fresh = await GenerateStage(config, store, "new", 6 - StepsRun);

        // Draws: only steps 3..6, each of N2 = 3 candidates, two exploration calls each.
        Assert.Equal((6 - StepsRun) * PerStep, Calls(resumed, PromptRoles.ExploreContext), 9);
        Assert.Equal((6 - StepsRun) * PerStep, Calls(resumed, PromptRoles.ExploreQuestion), 9);
        foreach (var role in StepRoles)
            Assert.Equal(Calls(fresh, role), Calls(resumed, role), 9);
        // Every seed is scored already: e3 only scores, so its answers are the final scores of the 4 steps, none for seeds;
        // the new run also scores its 3 seeds.
        Assert.Equal(Calls(fresh, PromptRoles.Opinion, "e3") - Arms, Calls(resumed, PromptRoles.Opinion, "e3"), 9);
        Assert.Equal(Calls(fresh, PromptRoles.JudgeQuestion) - Arms, Calls(resumed, PromptRoles.JudgeQuestion), 9);
        Assert.Contains(
            notes,
            n => n.Contains("2 of the 6 steps and 3 of the 3 seed questions' scores are stored", StringComparison.Ordinal)
        );
        Assert.True(resumed.SequentialSeconds < fresh.SequentialSeconds);

        // The budget the run has played, or less: nothing left to ask.
        foreach (var budget in new[] { StepsRun, 1 })
        {
            var done = await GenerateStage(config, store, "r", budget);
            Assert.Equal(0, done.TotalCalls);
            Assert.Equal(0, done.SequentialSeconds);
        }
    }

    [Fact]
    public async Task Only_the_seeds_a_started_run_has_not_scored_are_planned_and_the_cli_says_what_is_not_counted()
    {
        var config = await GeneratedAsync();
        {
            var store = AdaemStore.Open(config.StorePath);
            // Run 'half' stored its arms and scored one of their seed questions, then stopped before any step.
            store.SaveArms("half", store.LoadArms("r"));
            store.SaveQuestions("half", [store.LoadQuestions("r").First(q => q.Step is null && q.Depth == 0)]);

            var half = await GenerateStage(config, store, "half", 4);
            var fresh = await GenerateStage(config, store, "new", 4);
            Assert.Equal(4 * PerStep, Calls(half, PromptRoles.ExploreContext), 9);
            Assert.Equal(Calls(fresh, PromptRoles.Opinion, "e3") - 1, Calls(half, PromptRoles.Opinion, "e3"), 9);
            Assert.Equal(Calls(fresh, PromptRoles.JudgeQuestion) - 1, Calls(half, PromptRoles.JudgeQuestion), 9);
        }

        var plan = await CliProcess.RunAsync(_dir.Path, "plan", "-c", config.Path, "--run", "r", "--budget", "5");
        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Contains("2 of the 5 steps and 3 of the 3 seed questions' scores are stored and not counted", plan.Stdout);
        Assert.Contains("planned: 3 steps and 0 seeds to score", plan.Stdout);
    }
}
