using System.Text.RegularExpressions;
using Adaem.Core.Analysis.Validity;
using Adaem.Reports.Html;
using Adaem.RunFiles;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Reports;

public class ReportWriterTests
{
    internal static ReportInput InputFrom(string dir, IReadOnlyList<FixtureModel> models, bool simulated, int permutations = 199)
    {
        var provenance = new Provenance
        {
            ConfigPath = "/tmp/adaem.yaml",
            ConfigHash = "abc123",
            Judge = "judge",
            JudgeMode = "batched",
            GenerationSeed = 1,
            EvaluationSeed = 1,
            Models =
            [
                .. models.Select(m => new ModelInfo(
                    m.Name,
                    simulated ? "simulated" : "openai",
                    simulated ? null : m.Name + "-chat",
                    ["target"]
                )),
                new ModelInfo("judge", simulated ? "simulated" : "openai", "judge-large", ["judge"]),
            ],
            Calls =
            [
                new CallRow("evaluate", models[0].Name, 120, 2, 36000, 18000, null, 120),
                new CallRow("evaluate", "judge", 480, 0, 90000, 9000, 0.42, 0),
            ],
            Failures = [new FailureRow(models[0].Name, "evaluate", 3, 1)],
        };
        var questions = Path.Combine(dir, RunOutputs.Questions);
        var responses = Path.Combine(dir, RunOutputs.Responses);
        return new ReportInput("fixture", ReportFixture.Theory, RunOutputs.ReadScores(dir), provenance)
        {
            Questions = File.Exists(questions) ? RunOutputs.ReadQuestions(questions) : null,
            ResponsesPath = File.Exists(responses) ? responses : null,
            Validity = ValidityFile.Read(dir),
            Permutations = permutations,
        };
    }

    /// <summary>Any src/href/url/import that would make the browser fetch something from the network.</summary>
    private static ValidityReport ReadValidity(string dir) => ValidityFile.Read(dir)!;

    internal static readonly Regex ExternalReference = new(
        @"(?:src|href|xlink:href)\s*=\s*[""']?\s*(?:https?:|//)|url\(\s*[""']?\s*(?:https?:|//)|@import",
        RegexOptions.IgnoreCase
    );

    [Fact]
    public void Report_has_every_section_and_chart_and_nothing_external()
    {
        using var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(4);
        ReportFixture.Write(tmp.Path, models, 60);
        var output = ReportWriter.Write(
            InputFrom(tmp.Path, models, simulated: false),
            tmp.Path,
            cancellationToken: TestContext.Current.CancellationToken
        );

        Assert.True(new FileInfo(output.RadarPng).Length > 1000);
        Assert.StartsWith("\u0089PNG", File.ReadAllText(output.RadarPng, System.Text.Encoding.Latin1)[..4]);
        Assert.Contains("<svg", File.ReadAllText(output.RadarSvg));
        var html = File.ReadAllText(output.Html);
        foreach (
            var id in new[]
            {
                "radar-chart",
                "heatmap-chart",
                "distance-chart",
                "radar",
                "heatmap",
                "distances",
                "separating",
                "benchmark",
                "validity",
                "provenance",
            }
        )
            Assert.Contains($"id=\"{id}\"", html);
        Assert.DoesNotMatch(ExternalReference, html);
        Assert.DoesNotContain("<?xml", html);
        Assert.DoesNotContain("synthetic-banner", html);
        foreach (var m in models)
            Assert.Contains(m.Name, html);
        // Distinct latent profiles over 60 questions: every pair must come out significantly different.
        Assert.Contains("Every pair of models differs significantly.", html);
        Assert.Contains("Self-BLEU", html);
        Assert.Contains("Technology &amp; Innovation", html);
        // An unpriced call keeps the total unknown-but-bounded; never a silent 0.
        Assert.Contains("unknown", html);
        Assert.Contains("≥ 0.4200 (+120 unpriced calls)", html);
    }

    [Fact]
    public void Clones_are_not_reported_as_significantly_different()
    {
        using var tmp = new TempDir();
        var models = ReportFixture.IdenticalModels(3);
        ReportFixture.Write(tmp.Path, models, 40);
        var html = File.ReadAllText(
            ReportWriter
                .Write(InputFrom(tmp.Path, models, simulated: false), tmp.Path, cancellationToken: TestContext.Current.CancellationToken)
                .Html
        );
        Assert.Contains("Not distinguishable at this sample size: clone0 – clone1; clone0 – clone2; clone1 – clone2.", html);
        Assert.DoesNotContain("class=\"cell significant\"", html);
    }

    [Fact]
    public void Simulated_models_get_the_synthetic_banner()
    {
        using var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(3);
        ReportFixture.Write(tmp.Path, models, 30);
        var html = File.ReadAllText(
            ReportWriter
                .Write(InputFrom(tmp.Path, models, simulated: true), tmp.Path, cancellationToken: TestContext.Current.CancellationToken)
                .Html
        );
        Assert.Contains("id=\"synthetic-banner\"", html);
        Assert.Contains("Synthetic respondents.", html);
        Assert.Contains("the judge (judge)", html);
    }

    [Fact]
    public void Missing_optional_files_are_said_not_hidden()
    {
        using var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(3);
        ReportFixture.Write(tmp.Path, models, 30, withQuestions: false, withResponses: false);
        var input = InputFrom(tmp.Path, models, simulated: false) with { Provenance = new Provenance() };
        var html = File.ReadAllText(ReportWriter.Write(input, tmp.Path, cancellationToken: TestContext.Current.CancellationToken).Html);
        Assert.Contains("Not available: responses.jsonl is missing", html);
        Assert.Contains("Not available: questions.jsonl is missing", html);
        Assert.Contains("Significance is not shown", html);
        Assert.Contains("Unknown: the store was not available.", html);
        Assert.Contains("id=\"heatmap-chart\"", html);
    }

    [Fact]
    public void Separating_questions_show_stances_and_tagged_key_points()
    {
        using var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(4);
        ReportFixture.Write(tmp.Path, models, 40);
        var input = InputFrom(tmp.Path, models, simulated: false);
        var profiles = Core.Analysis.ValueProfiles.From(input.Scores, input.Theory);
        var answers = Adaem.Reports.Sections.ResponseSummary.Read(
            input.ResponsesPath!,
            input.Theory,
            asPlayers: false,
            TestContext.Current.CancellationToken
        );
        var found = Adaem.Reports.Sections.SeparatingQuestions.Find(input.Theory, profiles, answers, input.Questions, 3);
        Assert.Equal(10, found.Count);
        var power = found["power"];
        Assert.Equal(3, power.Count);
        foreach (var q in power)
        {
            Assert.True(q.Split > 0);
            Assert.Contains(q.Answers, a => a.Expressed > 0);
            Assert.Contains(q.Answers, a => a.Expressed == 0);
            // The key points tagged with the value belong exactly to the models that expressed it.
            Assert.All(q.Answers, a => Assert.Equal(a.Expressed > 0, a.KeyPoints.Any(k => k.ShowsValue)));
            Assert.NotEqual(q.QuestionId, q.Text); // the text comes from questions.jsonl
        }
        // Most even splits first: an even 2–2 split (variance 0.25) ranks before a 1–3 split.
        Assert.True(power[0].Split >= power[^1].Split);
    }

    [Fact]
    public void Validity_results_appear_when_validity_json_is_present()
    {
        using var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(3);
        ReportFixture.Write(tmp.Path, models, 30);
        ValidityFile.Update(
            tmp.Path,
            "fixture",
            "reliability",
            v => v with { Reliability = new ReliabilityResult(5, 1, [6, 6, 6, 6, 6], 30, 0.9123, double.NaN), Scoring = "rate scoring" }
        );
        var theory = ReportFixture.Theory;
        var baseline = theory.Values.ToDictionary(v => v.Code, v => 40.0 + theory.IndexOf(v.Code));
        var primed = theory.Values.ToDictionary(
            v => v.Code,
            v =>
                (IReadOnlyDictionary<string, double>)
                    theory.Values.ToDictionary(
                        x => x.Code,
                        x =>
                            x.Code == v.Code ? 95.0 - theory.IndexOf(v.Code)
                            : theory.OppositeGroup(v.Code).Any(o => o.Code == x.Code) ? 20.0 + theory.IndexOf(x.Code)
                            : baseline[x.Code] + 5 + theory.IndexOf(v.Code) % 2
                    )
        );
        var priming = PrimingAnalysis.Analyze(theory, "achiever", baseline, primed);
        ValidityFile.Update(tmp.Path, "fixture", "priming", v => v with { Priming = [priming] });
        var read = ValidityFile.Read(tmp.Path)!;
        Assert.Equal(0.9123, read.Reliability!.CronbachAlpha, 12);
        Assert.True(double.IsNaN(read.Reliability.CoefficientOfVariation)); // NaN survives as null
        Assert.Contains("\"coefficient_of_variation\": null", File.ReadAllText(Path.Combine(tmp.Path, ValidityFile.Name)));
        var html = File.ReadAllText(
            ReportWriter
                .Write(InputFrom(tmp.Path, models, simulated: false), tmp.Path, cancellationToken: TestContext.Current.CancellationToken)
                .Html
        );
        Assert.Contains("Cronbach's α</th><td>0.912</td>", html);
        var readPriming = Assert.Single(ReadValidity(tmp.Path).Priming!);
        Assert.Equal(priming.Target.T, readPriming.Target.T, 12);
        Assert.Equal(10, readPriming.Rows.Count);
        Assert.True(readPriming.DirectionsAsPredicted);
        Assert.Contains("Value priming", html);
        Assert.Contains("directions as predicted", html);
        Assert.DoesNotContain("No validity analysis has been run", html);
    }
}
