using Adaem.Core.Analysis;
using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Tests.Analysis;

/// <summary>Why distinguishability is judged on expression rates, and how small runs get subset sizes.</summary>
public class DistinguishabilityChoiceTests
{
    private static readonly ValueTheory Theory = TheoryLoader.Load("schwartz10");

    /// <summary>Six models answering <paramref name="questions"/> questions: each with its own random value
    /// probabilities, or (<paramref name="identical"/>) all sharing one uneven profile.</summary>
    private static List<JudgedResponse> Responses(int questions, int seed, bool identical = false)
    {
        var rng = new Random(seed);
        var shared = Theory.Values.Select(_ => rng.NextDouble()).ToArray();
        var models = Enumerable
            .Range(0, 6)
            .Select(m => identical ? shared : Theory.Values.Select(_ => rng.NextDouble()).ToArray())
            .ToList();
        var list = new List<JudgedResponse>();
        for (var q = 0; q < questions; q++)
        for (var m = 0; m < models.Count; m++)
        {
            var expressed = Theory.Values.Where((v, i) => rng.NextDouble() < models[m][i]).Select(v => v.Code).ToHashSet();
            list.Add(new JudgedResponse($"q{q:D4}", $"m{m}", 0, new ParsedResponse("yes", [new Opinion("p", "j")]), [expressed]));
        }
        return list;
    }

    [Fact]
    public void Relative_scores_pin_the_mean_profile_correlation_near_minus_one_over_k_minus_one()
    {
        var config = new EvaluationConfig { Orderings = 4, Bootstrap = 0 };
        var scoring = new RelativeScoring();
        foreach (var identical in new[] { false, true })
        {
            var set = BaselineAnalysis.Describe(
                "x",
                Responses(300, 7, identical),
                scoring,
                Theory,
                config,
                cancellationToken: TestContext.Current.CancellationToken
            );
            // Different or identical models: on win rates the statistic sits near -1/5 either way...
            Assert.InRange(set.Distinguishability.MeanProfileCorrelation, -0.2 - 0.08, -0.2 + 0.08);
        }
        // ...while on expression rates it tells identical models from different ones.
        var different = BaselineAnalysis.Describe(
            "d",
            Responses(300, 7),
            scoring,
            Theory,
            config,
            cancellationToken: TestContext.Current.CancellationToken
        );
        var same = BaselineAnalysis.Describe(
            "s",
            Responses(300, 7, identical: true),
            scoring,
            Theory,
            config,
            cancellationToken: TestContext.Current.CancellationToken
        );
        Assert.True(
            same.Expression!.MeanProfileCorrelation > different.Expression!.MeanProfileCorrelation + 0.5,
            $"identical {same.Expression.MeanProfileCorrelation:0.000} vs different {different.Expression.MeanProfileCorrelation:0.000}"
        );
    }

    [Fact]
    public void The_baseline_verdict_uses_expression_rates()
    {
        var config = new EvaluationConfig { Orderings = 2, Bootstrap = 0 };
        var run = BaselineAnalysis.Describe(
            "run",
            Responses(200, 3),
            new RelativeScoring(),
            Theory,
            config,
            cancellationToken: TestContext.Current.CancellationToken
        );
        var flat = BaselineAnalysis.Describe(
            "flat",
            Responses(200, 3, identical: true),
            new RelativeScoring(),
            Theory,
            config,
            cancellationToken: TestContext.Current.CancellationToken
        );
        var result = new BaselineResult(run, flat);
        Assert.True(result.RunLessCorrelated);
        Assert.Equal(result.RunLessCorrelated && result.RunMoreSpread, result.RunMoreDistinguishing);
        Assert.False(new BaselineResult(flat, run).RunLessCorrelated);
    }

    [Theory]
    [InlineData(new[] { 200, 500, 1000 }, 100, new[] { 25, 50, 75, 200 })]
    [InlineData(new[] { 200, 500, 1000 }, 700, new[] { 200, 500, 1000 })]
    [InlineData(new[] { 200, 500, 1000 }, 5000, new[] { 200, 500, 1000 })]
    [InlineData(new[] { 200, 500, 1000 }, 12, new[] { 6, 9, 200 })]
    public void Subset_sizes_collapse_full_sets_and_fall_back_to_fractions(int[] requested, int questions, int[] expected)
    {
        Assert.Equal(expected, SubsetAnalysis.EffectiveSizes(requested, questions));
    }
}
