using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Planning;
using Adaem.Core.Prompts;
using Adaem.Providers.Planning;
using Adaem.Tests.Support;
using Microsoft.ML.Tokenizers;

namespace Adaem.Tests.Planning;

/// <summary>
/// The planner in-process: calls per model and role from the config and the questions, input tokens from the real
/// prompts, output from the prompts' limits or the store's measurements, prices (unknown stays unknown), and the
/// rate each model's limits and latency allow.
/// </summary>
public sealed class PlannerTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static readonly string[] Questions =
    [
        "Should cities ban cars from their centres?",
        "Should voting be compulsory?",
        "Should schools teach children to code before they can read well?",
        "Is it right for parents to read their teenagers' messages?",
        "Should a country accept more refugees than its voters want?",
    ];

    private AdaemConfig Config(string extra = "")
    {
        _dir.Write("pricing.yaml", "gpt-4o: { input: 2.50, output: 10.00 }\n");
        _dir.Write(
            "questions.jsonl",
            string.Join("\n", Questions.Select((q, i) => JsonSerializer.Serialize(new { id = $"q{i}", question = q }))) + "\n"
        );
        return ConfigLoader.Load(
            _dir.Write(
                "adaem.yaml",
                $$"""
                store: adaem.db
                pricing: pricing.yaml
                models:
                  g4o:  { provider: openai, model: gpt-4o, api_key_env: NOT_SET_IN_TESTS }
                  qwen: { provider: openai-compatible, base_url: "http://127.0.0.1:9/v1", model: qwen, concurrency: 4, rpm: 60 }
                  e1:   { provider: simulated, seed: 1 }
                  e2:   { provider: simulated, seed: 2 }
                  s3:   { provider: simulated, seed: 3 }
                judge: { model: g4o }
                generation: { explorers: [e1, e2], scorers: [e1, e2, s3], budget: 4, questions_per_step: 3, max_arms: 5, max_refinements: 3 }
                evaluation: { targets: [g4o, qwen] }
                {{extra}}
                """
            )
        );
    }

    private static Task<StudyPlan> Plan(AdaemConfig config, IPlanHistory? history = null, string? questions = null) =>
        PlanWiring
            .Planner(config, history ?? NoPlanHistory.Instance, 2.0)
            .PlanAsync(new PlanRequest("main", Path.Combine(config.Directory, "out", "main"), questions), null, Ct);

    private static StagePlan Stage(StudyPlan plan, string name) => plan.Stages.Single(s => s.Stage == name);

    private static PlannedCalls Row(StagePlan stage, string model, string role) =>
        stage.Calls.Single(c => c.Model == model && c.Role == role);

    [Fact]
    public async Task Evaluation_of_a_question_file_counts_calls_per_target_and_judge_and_tokens_of_the_real_prompts()
    {
        var config = Config();
        var plan = await Plan(config, questions: _dir.File("questions.jsonl"));

        Assert.Equal(["evaluate", "report"], plan.Stages.Select(s => s.Stage));
        var e = Stage(plan, "evaluate");
        Assert.Equal(5, Row(e, "g4o", PromptRoles.Opinion).Calls);
        Assert.Equal(5, Row(e, "qwen", PromptRoles.Opinion).Calls);
        Assert.Equal(10, Row(e, "g4o", PromptRoles.JudgeBatched).Calls);
        Assert.Empty(Stage(plan, "report").Calls);

        // gpt-4o: o200k_base on the very prompts evaluate sends, with OpenAI's framing; qwen: an estimate, labelled.
        var o200k = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var expected = Questions.Sum(q => OpinionPrompt.For(q, 3).Messages.Sum(m => o200k.CountTokens(m.Text) + 3) + 3);
        var gpt = Row(e, "g4o", PromptRoles.Opinion);
        Assert.Equal(expected, gpt.InputTokens, 6);
        Assert.Equal("o200k_base", gpt.Counting);
        Assert.False(gpt.Estimate);
        Assert.True(Row(e, "qwen", PromptRoles.Opinion).Estimate);
        // Nothing measured: the opinion prompt's limit of 250 words, an upper bound.
        Assert.Equal(OutputSources.Limit, gpt.OutputSource);
        Assert.Equal(5 * 250 * FillerText.TokensPerWord(new TokenCounters().For(config.Models["g4o"])), gpt.OutputTokens, 6);
    }

    [Fact]
    public async Task A_model_without_a_price_leaves_the_cost_unknown_never_zero()
    {
        var plan = await Plan(Config(), questions: _dir.File("questions.jsonl"));
        var e = Stage(plan, "evaluate");

        var gpt = Row(e, "g4o", PromptRoles.Opinion);
        Assert.Equal((gpt.InputTokens * 2.50 + gpt.OutputTokens * 10.00) / 1e6, gpt.Cost!.Value, 9);
        Assert.Null(Row(e, "qwen", PromptRoles.Opinion).Cost);
        Assert.Null(e.Cost);
        Assert.Null(plan.Cost);
        Assert.True(e.KnownCost > 0);
        Assert.Contains("\"cost\": null", Adaem.Reports.Plans.PlanJson.Write(plan));
        Assert.Contains("unknown", Adaem.Reports.Plans.PlanText.Write(plan, "adaem.yaml"));
    }

    [Fact]
    public async Task A_model_in_batch_mode_is_priced_at_the_batch_price()
    {
        var config = Config().WithModel("g4o", m => m with { Batch = new BatchConfig() });
        var plan = await Plan(config, questions: _dir.File("questions.jsonl"));

        var gpt = Row(Stage(plan, "evaluate"), "g4o", PromptRoles.Opinion);
        Assert.Equal((gpt.InputTokens * 1.25 + gpt.OutputTokens * 5.00) / 1e6, gpt.Cost!.Value, 9);
    }

    [Fact]
    public async Task Each_models_rate_is_the_tightest_of_concurrency_over_latency_rpm_and_tpm()
    {
        var plan = await Plan(Config(), questions: _dir.File("questions.jsonl"));
        var e = Stage(plan, "evaluate");

        var qwen = e.Models.Single(m => m.Model == "qwen");
        Assert.Equal(("assumed", 2.0, 4), (qwen.LatencySource, qwen.LatencySeconds, qwen.Concurrency));
        Assert.Equal(("rpm", 1.0, 5.0), (qwen.Bound, qwen.CallsPerSecond, qwen.Seconds)); // 4 / 2 s = 2/s, but rpm 60 = 1/s
        var gpt = e.Models.Single(m => m.Model == "g4o");
        Assert.Equal(("concurrency", 4.0, 15 / 4.0), (gpt.Bound, gpt.CallsPerSecond, gpt.Seconds)); // default 8 in flight / 2 s
        Assert.True(e.Seconds >= e.Models.Max(m => m.Seconds));

        var tight = await Plan(Config().WithModel("g4o", m => m with { Tpm = 6000 }), questions: _dir.File("questions.jsonl"));
        var limited = Stage(tight, "evaluate").Models.Single(m => m.Model == "g4o");
        Assert.Equal("tpm", limited.Bound);
        var rows = Stage(tight, "evaluate").Calls.Where(c => c.Model == "g4o").ToList();
        Assert.Equal(100.0 / (rows.Sum(r => r.InputTokens + r.OutputTokens) / rows.Sum(r => r.Calls)), limited.CallsPerSecond, 6);
    }

    [Fact]
    public async Task What_the_store_measured_replaces_limits_and_assumptions()
    {
        var history = new FixedHistory
        {
            Usage =
            [
                new RoleUsage("qwen", PromptRoles.Opinion, 22, 2, 150, 80),
                new RoleUsage("e1", PromptRoles.JudgeBatched, 10, 0, 400, 12),
            ],
            Latency = [new ModelLatency("g4o", 40, 500)],
        };
        var plan = await Plan(Config(), history, _dir.File("questions.jsonl"));
        var e = Stage(plan, "evaluate");

        var qwen = Row(e, "qwen", PromptRoles.Opinion);
        Assert.Equal(OutputSources.Measured, qwen.OutputSource);
        Assert.Equal(5 * 1.1, qwen.Calls, 9); // 2 re-asks per 20 first asks
        Assert.Equal(5 * 1.1 * 80, qwen.OutputTokens, 9);
        // g4o never judged here, but another model did: its mean stands in.
        Assert.Equal(OutputSources.MeasuredRole, Row(e, "g4o", PromptRoles.JudgeBatched).OutputSource);
        Assert.Equal(12 * 10, Row(e, "g4o", PromptRoles.JudgeBatched).OutputTokens, 9);
        var gpt = e.Models.Single(m => m.Model == "g4o");
        Assert.Equal(("measured", 0.5, 16.0), (gpt.LatencySource, gpt.LatencySeconds, gpt.CallsPerSecond));
    }

    [Fact]
    public async Task Generation_is_planned_from_the_budget_pool_and_arms_with_assumptions_until_a_run_measures_them()
    {
        var config = Config();
        var plan = await Plan(config);
        var g = Stage(plan, "generate");
        var rounds = Adaem.Core.Planning.GenerationPlanner.AssumedRounds(3);
        const double arms = 5,
            draws = 4 * 3;

        Assert.Equal(1.75, rounds, 9);
        Assert.Equal(draws / 2, Row(g, "e1", PromptRoles.ExploreContext).Calls, 9);
        Assert.Equal(draws / 2, Row(g, "e2", PromptRoles.ExploreQuestion).Calls, 9);
        Assert.Equal(draws / 2 * rounds, Row(g, "e1", PromptRoles.Reflect).Calls, 9);
        // Seeds and every fast score ask the judge for the question's values; final scores do not.
        Assert.Equal(arms + draws * (1 + rounds), Row(g, "g4o", PromptRoles.JudgeQuestion).Calls, 9);
        // s3 only scores: the seeds and each candidate's final score.
        Assert.Equal(arms + draws, Row(g, "s3", PromptRoles.Opinion).Calls, 9);
        // e1 scores seeds, fast-scores every candidate and rewrite, and gives final scores.
        Assert.Equal(arms + draws * (1 + rounds) + draws, Row(g, "e1", PromptRoles.Opinion).Calls, 9);
        Assert.Contains(plan.Assumptions, a => a.Contains("assumed (no generation run in the store yet)", StringComparison.Ordinal));
        // Evaluation of what generation will select: every scored candidate and the seed questions.
        Assert.Equal((arms + draws) * 2, Row(Stage(plan, "evaluate"), "g4o", PromptRoles.JudgeBatched).Calls, 9);

        var measured = await Plan(config, new FixedHistory { Shape = new GenerationShape(100, 80, 120, 90, ["pilot"]) });
        var m = Stage(measured, "generate");
        Assert.Equal(draws * 0.8 * (1 + 1.5 * 0.75), Row(m, "g4o", PromptRoles.JudgeQuestion).Calls - arms, 9);
        Assert.Contains(measured.Assumptions, a => a.Contains("measured on 100 candidates of run(s) pilot", StringComparison.Ordinal));
    }

    private sealed class FixedHistory : IPlanHistory
    {
        public IReadOnlyList<RoleUsage> Usage { get; init; } = [];
        public IReadOnlyList<ModelLatency> Latency { get; init; } = [];
        public GenerationShape? Shape { get; init; }

        public IReadOnlyList<RoleUsage> RoleUsage() => Usage;

        public IReadOnlyList<ModelLatency> Latencies() => Latency;

        public GenerationShape? GenerationShape() => Shape;
    }
}

internal static class ConfigEdits
{
    public static AdaemConfig WithModel(this AdaemConfig config, string name, Func<ModelConfig, ModelConfig> edit) =>
        config with
        {
            Models = config.Models.ToDictionary(kv => kv.Key, kv => kv.Key == name ? edit(kv.Value) : kv.Value),
        };
}
