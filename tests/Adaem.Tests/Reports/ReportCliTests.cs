using Adaem.Core.Configuration;
using Adaem.Core.Theory;
using Adaem.Pipeline.Validity;
using Adaem.RunFiles;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Reports;

/// <summary>`adaem report` and `adaem validate` as a user runs them: real child processes on real files.</summary>
public class ReportCliTests
{
    private static (TempDir Tmp, string Config, string RunDir) Project(bool simulated = true, int questions = 40, bool withResponses = true)
    {
        var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(4);
        var config = ReportFixture.WriteConfig(tmp.Path, models, simulated);
        var runDir = tmp.Sub("out", "r1");
        ReportFixture.Write(runDir, models, questions, withResponses: withResponses);
        return (tmp, config, runDir);
    }

    [Fact]
    public async Task Report_command_writes_the_report_beside_the_config_with_store_provenance()
    {
        var ct = TestContext.Current.CancellationToken;
        var (tmp, config, runDir) = Project();
        using var _ = tmp;
        var cfg = ConfigLoader.Load(config);
        var store = AdaemStore.Open(cfg.StorePath);
        store.EnsureRun("r1", cfg.Hash);
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "k1",
                Run = "r1",
                Stage = "evaluate",
                Model = "achiever",
                Provider = "simulated",
                RequestJson = "{}",
                ResponseText = "x",
                InputTokens = 120,
                OutputTokens = 45,
                LatencyMs = 1,
            }
        );
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "k2",
                Run = "r1",
                Stage = "evaluate",
                Model = "judge",
                Provider = "simulated",
                RequestJson = "{}",
                ResponseText = "y",
                InputTokens = 300,
                OutputTokens = 20,
                LatencyMs = 1,
                Cost = 0.0,
            }
        );

        var r = await CliProcess.RunAsync(tmp.Path, "report", "-c", config, "--run", "r1", "--permutations", "199");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("report.html", r.Stdout);
        var html = File.ReadAllText(Path.Combine(runDir, "report.html"));
        Assert.True(File.Exists(Path.Combine(runDir, "radar.png")));
        Assert.True(File.Exists(Path.Combine(runDir, "radar.svg")));
        Assert.Contains("id=\"synthetic-banner\"", html);
        Assert.Contains(cfg.Hash, html);
        Assert.Contains("the run started with this same config", html);
        Assert.Contains("<td>120</td><td>45</td><td>unknown</td>", html); // an unpriced call is unknown, not 0
        Assert.Contains("<td>420</td><td>65</td><td>unknown</td>", html); // so is the total
        Assert.DoesNotMatch(ReportWriterTests.ExternalReference, html);
    }

    [Fact]
    public async Task Report_without_scores_is_bad_input_that_says_what_to_run()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir();
        var config = ReportFixture.WriteConfig(tmp.Path, ReportFixture.DistinctModels(2), simulated: true);
        var r = await CliProcess.RunAsync(tmp.Path, "report", "-c", config, "--run", "nothing");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("scores.json", r.Stderr);
        Assert.Contains("adaem evaluate", r.Stderr);
        Assert.False(File.Exists(tmp.Sub("adaem.db"))); // reporting never creates a store
    }

    [Fact]
    public async Task Validate_checks_its_inputs_before_any_scoring()
    {
        var ct = TestContext.Current.CancellationToken;
        var (tmp, config, _) = Project(withResponses: false);
        using var _ = tmp;
        var reliability = await CliProcess.RunAsync(tmp.Path, "validate", "reliability", "-c", config, "--run", "r1");
        Assert.Equal(2, reliability.ExitCode);
        Assert.Contains("responses.jsonl", reliability.Stderr);

        var baseline = await CliProcess.RunAsync(
            tmp.Path,
            "validate",
            "baseline",
            "-c",
            config,
            "--run",
            "r1",
            "--items",
            tmp.Sub("svs.csv")
        );
        Assert.Equal(2, baseline.ExitCode);
        Assert.Contains("svs.csv", baseline.Stderr);

        var missingRun = await CliProcess.RunAsync(tmp.Path, "validate", "subsets", "-c", config);
        Assert.Equal(2, missingRun.ExitCode);
        Assert.Contains("--run", missingRun.Stderr + missingRun.Stdout);
    }

    [Fact]
    public async Task Priming_names_the_targets_it_knows()
    {
        var ct = TestContext.Current.CancellationToken;
        var (tmp, config, _) = Project();
        using var _ = tmp;
        var r = await CliProcess.RunAsync(tmp.Path, "validate", "priming", "-c", config, "--run", "r1", "--target", "nobody");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("achiever", r.Stderr);
    }

    [Fact]
    public async Task Validation_results_land_in_validity_json_and_in_the_report()
    {
        var ct = TestContext.Current.CancellationToken;
        var (tmp, config, runDir) = Project(questions: 60);
        using var _ = tmp;
        var cfg = ConfigLoader.Load(config);
        var runner = new ValidityRunner(cfg, "r1", runDir, TheoryLoader.Load(cfg.Theory, cfg.Directory));
        var reliability = runner.Reliability(new RateScoring(), "rate scoring (test)", 5, 1, ct);
        var subsets = runner.Subsets(new RateScoring(), "rate scoring (test)", [20, 200], 2, 1, ct);
        File.WriteAllLines(
            tmp.Sub("svs.jsonl"),
            Enumerable.Range(0, 12).Select(i => $$"""{"question":"Is item {{i}} important to you?"}""")
        );
        var baselineModels = ReportFixture.DistinctModels(4).Select(m => m with { Profile = [.. Enumerable.Repeat(0.5, 10)] }).ToList();
        var baseline = await runner.BaselineAsync(
            new RateScoring(),
            "rate scoring (test)",
            () => new FixedResponder(baselineModels),
            tmp.Sub("svs.jsonl"),
            ct
        );
        Assert.Equal(12, baseline.Baseline.Items);

        var validity = ValidityFile.Read(runDir)!;
        Assert.Equal(reliability.CronbachAlpha, validity.Reliability!.CronbachAlpha, 12);
        Assert.Equal(subsets.Subsets.Count, validity.Subsets!.Subsets.Count);
        Assert.Equal(["baseline", "reliability", "subsets"], validity.UpdatedAt.Keys.Order());

        var r = await CliProcess.RunAsync(tmp.Path, "report", "-c", config, "--run", "r1", "--permutations", "199");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var html = File.ReadAllText(Path.Combine(runDir, "report.html"));
        Assert.Contains("Reliability over random folds", html);
        Assert.Contains("Subset consistency", html);
        Assert.Contains("Distinguishability against a static baseline", html);
        Assert.Contains("rate scoring (test)", html);
    }

    /// <summary>Answers baseline items from fixed latent profiles, as the evaluation pipeline would with real models.</summary>
    private sealed class FixedResponder(IReadOnlyList<FixtureModel> models) : IValidityResponder
    {
        public Task<IReadOnlyList<Core.Evaluation.JudgedResponse>> AnswerAsync(
            string run,
            IReadOnlyList<Core.Evaluation.Question> questions,
            IReadOnlyList<string> names,
            CancellationToken ct
        ) =>
            Task.FromResult<IReadOnlyList<Core.Evaluation.JudgedResponse>>(
                ReportFixture.Responses(
                    models.Where(m => names.Contains(m.Name)).ToList(),
                    questions.Select(q => (q.Id, q.Text, "")).ToList(),
                    11
                )
            );

        public Task<IReadOnlyList<Core.Evaluation.JudgedResponse>> AnswerPrimedAsync(
            string run,
            string model,
            Core.Theory.ValueDimension value,
            string systemPrompt,
            IReadOnlyList<Core.Evaluation.Question> questions,
            CancellationToken ct
        ) => throw new NotSupportedException();
    }
}
