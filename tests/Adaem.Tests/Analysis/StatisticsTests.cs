using Adaem.Core.Analysis;
using Xunit;

namespace Adaem.Tests.Analysis;

public class StatisticsTests
{
    [Fact]
    public void Pearson_matches_hand_computation()
    {
        // x = 1..5, y = 2,4,5,4,5: Sxy = 6, Sxx = 10, Syy = 6 → r = 6 / sqrt(60) = 0.774597
        Assert.Equal(0.7745967, Correlation.Pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 6);
        Assert.Equal(-1.0, Correlation.Pearson([1, 2, 3], [6, 4, 2]), 12);
        Assert.True(double.IsNaN(Correlation.Pearson([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void Spearman_uses_average_ranks_for_ties()
    {
        Assert.Equal([1.0, 2.5, 2.5, 4.0], Correlation.Ranks([10, 20, 20, 30]));
        // Monotone but not linear: rho is exactly 1 while Pearson is below 1.
        Assert.Equal(1.0, Correlation.Spearman([1, 2, 3, 4], [1, 4, 9, 100]), 12);
        Assert.True(Correlation.Pearson([1, 2, 3, 4], [1, 4, 9, 100]) < 0.95);
        // ranks x = 1,2.5,2.5,4 ; y = 1,2,3,4 → r = 4.5 / sqrt(4.5 * 5) = 0.948683
        Assert.Equal(0.9486833, Correlation.Spearman([10, 20, 20, 30], [1, 2, 3, 4]), 6);
    }

    [Fact]
    public void Paired_t_test_reproduces_the_papers_priming_table()
    {
        // AdAEM Table 10 (o3-mini): target value baseline vs primed; the paper reports t = -3.90, p = 0.004, d = 1.23
        // for baseline − primed. Ours is primed − baseline, so t is positive.
        double[] baseline = [88.26, 73.14, 68.74, 76.76, 76.15, 40.96, 88.13, 99.64, 98.38, 54.42];
        double[] primed = [99.99, 98.55, 99.99, 99.19, 99.97, 93.47, 99.99, 100, 95.10, 99.95];
        var r = PairedTTest.Run(baseline, primed);
        Assert.Equal(10, r.N);
        Assert.Equal(9, r.Df);
        Assert.Equal(76.458, r.MeanBefore, 6);
        Assert.Equal(98.62, r.MeanAfter, 6);
        Assert.Equal(3.9037838, r.T, 5);
        Assert.Equal(1.2344848, r.CohensD, 5);
        Assert.Equal(0.0035986, r.P, 5); // numerical integration of the t(9) density
    }

    [Fact]
    public void Paired_t_test_is_undefined_without_spread()
    {
        var r = PairedTTest.Run([1, 2, 3], [2, 3, 4]);
        Assert.Equal(1.0, r.MeanDifference, 12);
        Assert.True(double.IsNaN(r.T));
        Assert.True(double.IsNaN(r.P));
    }

    [Fact]
    public void Paired_t_test_is_undefined_when_the_differences_are_equal_up_to_rounding()
    {
        // 0.4 − 0.3 = 0.10000000000000003 and 0.7 − 0.6 = 0.09999999999999998: a sample sd of 4e-17, not a spread.
        var r = PairedTTest.Run([0.3, 0.6], [0.4, 0.7]);
        Assert.Equal(0.1, r.MeanDifference, 12);
        Assert.True(double.IsNaN(r.T), $"t = {r.T}");
        Assert.True(double.IsNaN(r.P), $"p = {r.P}");
        // A real, small spread is still tested.
        var real = PairedTTest.Run([0.3, 0.6, 0.5], [0.4, 0.71, 0.58]);
        Assert.True(double.IsFinite(real.T) && real.P is > 0 and < 1, $"t = {real.T}, p = {real.P}");
    }

    [Fact]
    public void Cronbach_alpha_matches_hand_computation()
    {
        // Item variances 2.5 + 1.7 + 1.7 = 5.9, total variance 16.3 → α = 1.5 · (1 − 5.9/16.3) = 0.957055
        IReadOnlyList<double>[] m =
        [
            [2, 3, 3],
            [4, 4, 5],
            [3, 5, 4],
            [5, 5, 5],
            [1, 2, 2],
        ];
        Assert.Equal(0.9570552, Reliability.CronbachAlpha(m), 6);
        // Items that disagree (the second reverses the first) give a low, even negative, alpha.
        IReadOnlyList<double>[] bad =
        [
            [1, 5],
            [2, 4],
            [3, 3],
            [4, 2],
            [5, 1.5],
        ];
        Assert.True(Reliability.CronbachAlpha(bad) < 0);
    }

    [Fact]
    public void Coefficient_of_variation_is_the_mean_of_row_ratios()
    {
        // rows: (8, 12) mean 10, sample sd 2.828 → 0.2828; (20, 20) → 0; (−1, 1) has mean 0 and is skipped.
        IReadOnlyList<double>[] m =
        [
            [8, 12],
            [20, 20],
            [-1, 1],
        ];
        Assert.Equal(0.1414214, Reliability.MeanCoefficientOfVariation(m), 6);
    }

    [Fact]
    public void Distinguishability_reproduces_the_within_model_spread_of_the_MFT_table()
    {
        // MFQ block of the paper's App. J table: avg std 0.096 (population sd). The mean pairwise Pearson of these
        // rounded rows is 0.579940 (hand/independent computation; the paper's 0.625 is not reproducible from its rounded table).
        IReadOnlyList<double>[] mfq =
        [
            [.833, .633, .533, .600, .760],
            [.967, .733, .833, .800, 1.0],
            [.967, .833, .767, .833, .760],
            [.967, .800, .667, .867, .800],
        ];
        var r = Distinguishability.Compute(mfq);
        Assert.Equal(0.0957237, r.MeanWithinModelSpread, 1e-6);
        Assert.Equal(0.5799405, r.MeanProfileCorrelation, 1e-6);
        Assert.Equal(6, r.PairsUsed);

        IReadOnlyList<double>[] adaem =
        [
            [.646, .906, .477, .433, .636],
            [.825, .213, .634, .951, .856],
            [.251, .456, .722, .989, .768],
            [.128, .055, .073, .005, .457],
        ];
        var a = Distinguishability.Compute(adaem);
        Assert.Equal(0.2117879, a.MeanWithinModelSpread, 1e-6); // paper: 0.212
        Assert.True(a.MeanProfileCorrelation < r.MeanProfileCorrelation);
    }

    [Fact]
    public void Holm_adjustment_matches_textbook_example()
    {
        // sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 → kept monotone at 0.06
        var adj = ModelDistances.Holm([0.01, 0.04, 0.03, 0.005]);
        Assert.Equal([0.03, 0.06, 0.06, 0.02], adj.Select(x => Math.Round(x, 10)));
        Assert.True(double.IsNaN(ModelDistances.Holm([double.NaN, 0.2])[0]));
        Assert.Equal(0.2, ModelDistances.Holm([double.NaN, 0.2])[1], 12);
    }

    [Fact]
    public void Rms_distance_is_euclidean_over_root_d()
    {
        Assert.Equal(Math.Sqrt((9 + 16) / 2.0), ModelDistances.RmsDistance([0, 0], [3, 4]), 12);
        Assert.Equal(3.0, ModelDistances.RmsDistance([0, double.NaN], [3, 4]), 12);
    }

    [Fact]
    public void Sign_flip_test_separates_different_models_and_not_identical_ones()
    {
        var rng = new Random(3);
        var a = new Dictionary<string, double[]>();
        var b = new Dictionary<string, double[]>();
        var c = new Dictionary<string, double[]>();
        for (var q = 0; q < 80; q++)
        {
            var shared = Enumerable.Range(0, 4).Select(_ => rng.NextDouble() < 0.5 ? 1.0 : 0.0).ToArray();
            a[$"q{q}"] = shared;
            b[$"q{q}"] = shared.ToArray(); // identical answers
            c[$"q{q}"] = Enumerable.Range(0, 4).Select(v => rng.NextDouble() < (v == 0 ? 0.95 : 0.05) ? 1.0 : 0.0).ToArray();
        }
        var same = ModelDistances.SignFlipTest(a, b, 199, 1, TestContext.Current.CancellationToken);
        Assert.Equal(0, same.Observed, 12);
        Assert.Equal(1.0, same.P, 12);
        var different = ModelDistances.SignFlipTest(a, c, 199, 1, TestContext.Current.CancellationToken);
        Assert.Equal(80, different.Questions);
        Assert.Equal(1.0 / 200, different.P, 12);
        Assert.True(different.Observed > 20);
    }

    [Fact]
    public void Sign_flip_bitset_path_agrees_with_the_general_path()
    {
        // 0/1 answers take the bitset path; the same answers halved (0/0.5) take the floating-point path.
        // Both tests have the same null distribution up to scale, so observed/2 and p agree within Monte-Carlo error.
        var rng = new Random(11);
        var a = new Dictionary<string, double[]>();
        var b = new Dictionary<string, double[]>();
        for (var q = 0; q < 150; q++)
        {
            a[$"q{q}"] = Enumerable.Range(0, 5).Select(v => rng.NextDouble() < 0.5 ? 1.0 : 0.0).ToArray();
            b[$"q{q}"] = Enumerable.Range(0, 5).Select(v => rng.NextDouble() < (v == 0 ? 0.58 : 0.5) ? 1.0 : 0.0).ToArray();
        }
        var ct = TestContext.Current.CancellationToken;
        var bits = ModelDistances.SignFlipTest(a, b, 3999, 5, ct);
        var half = ModelDistances.SignFlipTest(
            a.ToDictionary(x => x.Key, x => x.Value.Select(v => v / 2).ToArray()),
            b.ToDictionary(x => x.Key, x => x.Value.Select(v => v / 2).ToArray()),
            3999,
            5,
            ct
        );
        Assert.Equal(bits.Observed / 2, half.Observed, 9);
        Assert.InRange(bits.P, 0.001, 0.9); // above the 1/(R+1) floor, so the comparison is informative
        Assert.True(Math.Abs(bits.P - half.P) < 0.04, $"bitset p {bits.P} vs general p {half.P}");
    }
}
