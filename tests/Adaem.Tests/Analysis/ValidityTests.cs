using Adaem.Core.Analysis;
using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Tests.Reports;
using Xunit;

namespace Adaem.Tests.Analysis;

public class ValidityTests
{
    private static readonly ValueTheory Theory = ReportFixture.Theory;
    private static readonly EvaluationConfig Config = new();

    private static List<JudgedResponse> Responses(IReadOnlyList<FixtureModel> models, int questions, int seed = 1) =>
        ReportFixture.Responses(models, ReportFixture.Questions(questions, seed), seed + 6);

    [Fact]
    public void Folds_partition_the_questions_reproducibly()
    {
        var ids = Enumerable.Range(0, 23).Select(i => $"q{i}").ToList();
        var folds = QuestionFolds.Split(ids, 5, 42);
        Assert.Equal(ids.Order(), folds.SelectMany(f => f).Order());
        Assert.All(folds, f => Assert.InRange(f.Count, 4, 5));
        Assert.Equal(folds.Select(f => f.Order()), QuestionFolds.Split(ids, 5, 42).Select(f => f.Order()));
        Assert.NotEqual(folds[0].Order(), QuestionFolds.Split(ids, 5, 43)[0].Order());
    }

    [Fact]
    public void Reliability_is_high_for_distinct_profiles_and_low_for_clones()
    {
        var distinct = ReliabilityAnalysis.Run(
            Responses(ReportFixture.DistinctModels(4), 150),
            new RateScoring(),
            Theory,
            Config,
            5,
            1,
            TestContext.Current.CancellationToken
        );
        Assert.Equal(5, distinct.Folds);
        Assert.Equal(40, distinct.Subjects);
        Assert.Equal(150, distinct.QuestionsPerFold.Sum());
        Assert.True(distinct.CronbachAlpha > 0.9, $"alpha {distinct.CronbachAlpha}");

        // Clones share one latent profile: (model, value) scores differ only by noise, so folds do not agree.
        var clones = ReliabilityAnalysis.Run(
            Responses(ReportFixture.IdenticalModels(4), 150),
            new RateScoring(),
            Theory,
            Config,
            5,
            1,
            TestContext.Current.CancellationToken
        );
        Assert.True(clones.CronbachAlpha < 0.6, $"alpha {clones.CronbachAlpha}");
        Assert.True(clones.CoefficientOfVariation > distinct.CoefficientOfVariation * 0.5);
    }

    [Fact]
    public void Subsets_agree_more_as_they_grow_and_cap_at_the_full_set()
    {
        var responses = Responses(ReportFixture.DistinctModels(4), 300);
        var scoring = new RateScoring();
        var r = SubsetAnalysis.Run(
            responses,
            scoring,
            Theory,
            Config,
            [20, 200, 1000],
            repeats: 3,
            seed: 1,
            cancellationToken: TestContext.Current.CancellationToken
        );
        Assert.Equal(300, r.Questions);
        Assert.Equal([20, 200, 300], r.Subsets.Select(s => s.Size));
        Assert.True(r.Subsets[2].IsFullSet);
        Assert.Equal(1, r.Subsets[2].Repeats);
        Assert.Equal(1.0, r.Subsets[2].PearsonMean, 9);
        Assert.True(r.Subsets[1].PearsonMean > r.Subsets[0].PearsonMean);
        Assert.True(r.Subsets[1].PearsonMean > 0.95);
        Assert.Equal(1 + 3 + 3 + 1, scoring.Calls); // full set, then the repeats of each size
    }

    [Fact]
    public void Baseline_comparison_prefers_the_item_set_that_separates_models()
    {
        var models = ReportFixture.DistinctModels(4);
        var run = Responses(models, 200);
        // A baseline whose items make every model answer alike (the informativeness problem of static items).
        // Their shared profile is also compressed (everything "somewhat" expressed), as saturated static items are.
        var flat = ReportFixture
            .Responses(
                models.Select(m => m with { Profile = [0.7, 0.5, 0.45, 0.5, 0.4, 0.65, 0.55, 0.5, 0.75, 0.75] }).ToList(),
                ReportFixture.Questions(400, 9),
                3
            )
            .Select(r => r with { QuestionId = "b" + r.QuestionId })
            .ToList();
        var result = BaselineAnalysis.Compare(
            run,
            flat,
            new RateScoring(),
            Theory,
            Config,
            "svs.jsonl",
            TestContext.Current.CancellationToken
        );
        Assert.Equal(200, result.Run.Items);
        Assert.Equal(400, result.Baseline.Items);
        Assert.True(result.Run.Distinguishability.MeanProfileCorrelation < result.Baseline.Distinguishability.MeanProfileCorrelation);
        Assert.True(result.Baseline.Distinguishability.MeanProfileCorrelation > 0.6);
        Assert.True(result.Run.Distinguishability.MeanWithinModelSpread > result.Baseline.Distinguishability.MeanWithinModelSpread);
        Assert.True(result.RunMoreDistinguishing);
    }

    /// <summary>
    /// The same comparison with the real relative scoring. A relative score is a mean win probability
    /// against the other models, so each value's scores sum to 50 × models, and the profile correlation of
    /// scores sits near −1/(models − 1) for any item set; it must be read from the expressed rates instead.
    /// </summary>
    [Fact]
    public void Baseline_comparison_with_relative_scores_still_sees_the_shared_profile_of_flat_items()
    {
        var models = ReportFixture.DistinctModels(4);
        var run = Responses(models, 200);
        var flat = ReportFixture
            .Responses(
                models.Select(m => m with { Profile = [0.7, 0.5, 0.45, 0.5, 0.4, 0.65, 0.55, 0.5, 0.75, 0.75] }).ToList(),
                ReportFixture.Questions(400, 9),
                3
            )
            .Select(r => r with { QuestionId = "b" + r.QuestionId })
            .ToList();
        var result = BaselineAnalysis.Compare(
            run,
            flat,
            new RelativeScoring(),
            Theory,
            new EvaluationConfig { Bootstrap = 0 },
            "svs.jsonl",
            TestContext.Current.CancellationToken
        );
        var flatCorrelation = result.Baseline.Expression!.MeanProfileCorrelation;
        Assert.True(flatCorrelation > 0.6, $"models answering alike should have alike profiles, got mean correlation {flatCorrelation:F3}");
        Assert.True(result.Run.Expression!.MeanProfileCorrelation < flatCorrelation - 0.3);
        Assert.True(result.RunMoreDistinguishing);
    }

    [Fact]
    public void Priming_analysis_pairs_baseline_and_primed_scores_per_condition()
    {
        var baseline = Theory.Values.ToDictionary(v => v.Code, _ => 50.0);
        var primed = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        var k = 0;
        foreach (var v in Theory.Values)
        {
            var same = Theory.SameGroup(v.Code).Select(x => x.Code).ToHashSet();
            var opposite = Theory.OppositeGroup(v.Code).Select(x => x.Code).ToHashSet();
            primed[v.Code] = Theory.Values.ToDictionary(
                x => x.Code,
                x =>
                    x.Code == v.Code ? 80.0 + k
                    : same.Contains(x.Code) ? 60.0 + k % 3
                    : opposite.Contains(x.Code) ? 30.0 - k % 4
                    : 50.0
            );
            k++;
        }
        var r = PrimingAnalysis.Analyze(Theory, "m", baseline, primed);
        Assert.Equal(10, r.Rows.Count);
        Assert.Equal(10, r.Target.N);
        Assert.Equal(80 + 4.5 - 50, r.Target.MeanDifference, 9);
        Assert.True(r.Target.P < 0.001);
        Assert.True(r.SameGroup.MeanDifference > 0);
        Assert.True(r.OppositeGroup.MeanDifference < 0);
        Assert.True(r.DirectionsAsPredicted);
        // Security's same group is Conformity and Tradition; its opposite group is Openness.
        var security = r.Rows.Single(x => x.PrimedValue == "security");
        Assert.Equal(50, security.BaselineSameGroup, 9);
        Assert.True(security.PrimedOppositeGroup < 50);
    }

    [Fact]
    public async Task Priming_experiment_rescores_the_pool_with_the_primed_answers()
    {
        var models = ReportFixture.DistinctModels(4);
        var questions = ReportFixture.Questions(120);
        var responses = ReportFixture.Responses(models, questions, 7);
        var target = models[2]; // achiever
        var asked = new List<string>();
        Task<IReadOnlyList<JudgedResponse>> Ask(ValueDimension value, IReadOnlyList<string> ids, CancellationToken ct)
        {
            asked.Add(value.Code);
            // A primed respondent: the primed value almost always, its group more, the opposite group rarely.
            var same = Theory.SameGroup(value.Code).Select(x => x.Code).ToHashSet();
            var opposite = Theory.OppositeGroup(value.Code).Select(x => x.Code).ToHashSet();
            var profile = Theory
                .Values.Select(
                    (v, i) =>
                        v.Code == value.Code ? 0.98
                        : same.Contains(v.Code) ? Math.Min(1, target.Profile[i] + 0.2)
                        : opposite.Contains(v.Code) ? target.Profile[i] * 0.3
                        : target.Profile[i]
                )
                .ToArray();
            var qs = questions.Where(q => ids.Contains(q.Id)).ToList();
            return Task.FromResult<IReadOnlyList<JudgedResponse>>(
                ReportFixture.Responses([new FixtureModel("primed", profile)], qs, asked.Count)
            );
        }
        var r = await PrimingExperiment.RunAsync(
            responses,
            target.Name,
            Ask,
            new RateScoring(),
            Theory,
            Config,
            ["power", "benevolence", "tradition", "stimulation"],
            cancellationToken: TestContext.Current.CancellationToken
        );
        Assert.Equal(["stimulation", "power", "tradition", "benevolence"], asked); // theory (circumplex) order
        Assert.Equal(4, r.Rows.Count);
        Assert.True(r.DirectionsAsPredicted);
        Assert.True(r.Target.MeanDifference > 20);
        Assert.True(r.OppositeGroup.MeanDifference < -5);
        Assert.Contains("Power", PrimingExperiment.SystemPrompt(Theory, Theory["power"]));
    }

    [Fact]
    public void Priming_that_does_nothing_is_not_reported_as_working()
    {
        var baseline = Theory.Values.ToDictionary(v => v.Code, v => 40.0 + Theory.IndexOf(v.Code));
        var primed = Theory.Values.ToDictionary(
            v => v.Code,
            _ => (IReadOnlyDictionary<string, double>)baseline.ToDictionary(x => x.Key, x => x.Value - 1)
        );
        var r = PrimingAnalysis.Analyze(Theory, "m", baseline, primed);
        Assert.False(r.DirectionsAsPredicted);
    }
}
