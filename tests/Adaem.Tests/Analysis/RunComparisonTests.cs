using Adaem.Core.Analysis;
using Adaem.Core.Evaluation;

namespace Adaem.Tests.Analysis;

/// <summary>The statistics of `adaem compare` on constructed runs whose answer is known.</summary>
public sealed class RunComparisonTests
{
    private const int Resamples = 2000;

    private static ValueScore Score(string model, string value, double score, double rate = 0.5) =>
        new(model, value, score, score - 5, score + 5, rate, 10);

    private static JudgedResponse Answer(string question, string model, bool expresses) =>
        new(
            question,
            model,
            0,
            null,
            [expresses ? new HashSet<string>(StringComparer.Ordinal) { "v" } : new HashSet<string>(StringComparer.Ordinal)]
        );

    /// <summary>A run of <paramref name="questions"/> questions where m1 and m2 express value v with the given chances.</summary>
    private static List<JudgedResponse> Answers(string prefix, int questions, double m1, double m2, Random rng) =>
        Enumerable
            .Range(0, questions)
            .SelectMany(i =>
                new[] { Answer($"{prefix}{i}", "m1", rng.NextDouble() < m1), Answer($"{prefix}{i}", "m2", rng.NextDouble() < m2) }
            )
            .ToList();

    [Fact]
    public void A_clear_reversal_on_shared_questions_is_a_change_beyond_noise_by_the_paired_permutation_test()
    {
        var rng = new Random(11);
        var a = new ComparedRun("A", [Score("m1", "v", 80), Score("m2", "v", 20)], Answers("q", 40, 0.9, 0.1, rng));
        var b = new ComparedRun("B", [Score("m1", "v", 20), Score("m2", "v", 80)], Answers("q", 40, 0.1, 0.9, rng));

        var r = RunComparison.Compare(a, b, Resamples, 7);

        Assert.Equal(40, r.SharedQuestions);
        var change = Assert.Single(r.OrderChanges);
        Assert.Equal("paired permutation", change.Test);
        Assert.Equal(40, change.QuestionsA);
        Assert.True(change.GapA > 0.5 && change.GapB < -0.5, $"{change.GapA} {change.GapB}");
        Assert.True(change.P < 0.001, $"p = {change.P}");
        Assert.True(change.BeyondNoise);
    }

    [Fact]
    public void A_reversal_that_is_only_noise_has_a_large_p_value()
    {
        var rng = new Random(12);
        // Both models express v half the time in both runs; the stored scores swap by a hair.
        var a = new ComparedRun("A", [Score("m1", "v", 51), Score("m2", "v", 49)], Answers("q", 40, 0.5, 0.5, rng));
        var b = new ComparedRun("B", [Score("m1", "v", 49), Score("m2", "v", 51)], Answers("q", 40, 0.5, 0.5, rng));

        var change = Assert.Single(RunComparison.Compare(a, b, Resamples, 7).OrderChanges);

        Assert.Equal("paired permutation", change.Test);
        Assert.True(change.P > 0.2, $"p = {change.P}");
        Assert.False(change.BeyondNoise);
    }

    [Fact]
    public void Runs_without_shared_questions_are_tested_by_bootstrap_small_for_a_reversal_large_for_noise()
    {
        var rng = new Random(13);
        var clear = RunComparison.Compare(
            new ComparedRun("A", [Score("m1", "v", 80), Score("m2", "v", 20)], Answers("a", 30, 0.9, 0.1, rng)),
            new ComparedRun("B", [Score("m1", "v", 20), Score("m2", "v", 80)], Answers("b", 30, 0.1, 0.9, rng)),
            Resamples,
            7
        );
        var noise = RunComparison.Compare(
            new ComparedRun("A", [Score("m1", "v", 51), Score("m2", "v", 49)], Answers("a", 30, 0.5, 0.5, rng)),
            new ComparedRun("B", [Score("m1", "v", 49), Score("m2", "v", 51)], Answers("b", 30, 0.5, 0.5, rng)),
            Resamples,
            7
        );

        Assert.Equal(0, clear.SharedQuestions);
        var c = Assert.Single(clear.OrderChanges);
        Assert.Equal("bootstrap", c.Test);
        Assert.True(c.P < 0.01, $"p = {c.P}");
        var n = Assert.Single(noise.OrderChanges);
        Assert.True(n.P > 0.2, $"p = {n.P}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_p_values()
    {
        var a = new ComparedRun("A", [Score("m1", "v", 60), Score("m2", "v", 40)], Answers("q", 20, 0.6, 0.4, new Random(1)));
        var b = new ComparedRun("B", [Score("m1", "v", 40), Score("m2", "v", 60)], Answers("q", 20, 0.4, 0.6, new Random(2)));
        Assert.Equal(RunComparison.Compare(a, b, 500, 3).OrderChanges[0].P, RunComparison.Compare(a, b, 500, 3).OrderChanges[0].P);
    }

    [Fact]
    public void Differences_rank_agreement_and_tested_pairs_follow_the_scores()
    {
        ValueScore[] a = [Score("m1", "v", 10, 0.2), Score("m2", "v", 20, 0.3), Score("m3", "v", 30, 0.4), Score("gone", "v", 50)];
        ValueScore[] b = [Score("m1", "v", 15, 0.25), Score("m2", "v", 35, 0.5), Score("m3", "v", 25, 0.4), Score("new", "v", 5)];

        var r = RunComparison.Compare(new ComparedRun("A", a, []), new ComparedRun("B", b, []), 100, 1);

        Assert.Equal(5, r.Shifts.Count);
        Assert.Equal(5, r.Shifts.Single(s => s.Model == "m1").Difference, 9);
        Assert.Equal(15, r.Shifts.Single(s => s.Model == "m2").Difference, 9);
        Assert.Equal(-5, r.Shifts.Single(s => s.Model == "m3").Difference, 9);
        Assert.Equal(0.2, r.Shifts.Single(s => s.Model == "m2").ExpressedShift, 9);
        Assert.True(double.IsNaN(r.Shifts.Single(s => s.Model == "gone").Difference));
        Assert.Null(r.Shifts.Single(s => s.Model == "new").A);
        // Ranks over m1..m3 only: A = 1,2,3, B = 1,3,2 → rho = 1 − 6·2 / (3·8) = 0.5.
        var rank = Assert.Single(r.Ranks);
        Assert.Equal(3, rank.Models);
        Assert.Equal(0.5, rank.Spearman, 9);
        // Only m2 and m3 swap; with no answers the test is undefined, not invented.
        var change = Assert.Single(r.OrderChanges);
        Assert.Equal(("m2", "m3"), (change.First, change.Second));
        Assert.True(double.IsNaN(change.P));
        Assert.False(change.BeyondNoise);
    }

    [Fact]
    public void Holm_multiplies_the_sorted_p_values_and_keeps_them_monotone()
    {
        var adjusted = RunComparison.Holm([0.01, 0.04, 0.03, double.NaN]);
        Assert.Equal(0.03, adjusted[0], 9);
        Assert.Equal(0.06, adjusted[1], 9);
        Assert.Equal(0.06, adjusted[2], 9);
        Assert.True(double.IsNaN(adjusted[3]));
    }
}
