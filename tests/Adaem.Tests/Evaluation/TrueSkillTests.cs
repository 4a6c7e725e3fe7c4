using Adaem.Core.Evaluation;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// TrueSkill against published reference values. Unless noted, the expected numbers are the ones the
/// reference Python package (sublee/trueskill, trueskill.org) asserts in its own test suite
/// (trueskilltests.py: n_vs_n, one_vs_n, upset), with the package defaults μ 25, σ 25/3, β 25/6,
/// τ 25/300, draw probability 0.10 — the same defaults as adaem's EvaluationConfig. Like that suite,
/// values are compared at 3 decimals with one unit of slack in the last digit.
/// </summary>
public sealed class TrueSkillTests
{
    private static readonly TrueSkill Env = new();

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 0.0015, $"expected {expected:F3}, got {actual:F4}");

    private static void Rated(IReadOnlyList<(double Mu, double Sigma)> expected, Rating[] actual)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Near(expected[i].Mu, actual[i].Mu);
            Near(expected[i].Sigma, actual[i].Sigma);
        }
    }

    private static Rating[] Play(Rating[] winners, Rating[] losers)
    {
        Env.Rate(winners, losers);
        return [.. winners, .. losers];
    }

    private static Rating[] Defaults(int n) => Enumerable.Repeat(Env.Initial, n).ToArray();

    [Fact]
    public void One_vs_one_win_from_default_ratings()
    {
        var (w, l) = Env.Rate1Vs1(Env.Initial, Env.Initial);
        Rated([(29.396, 7.171), (20.604, 7.171)], [w, l]);
    }

    [Fact]
    public void Team_matches_from_default_ratings()
    {
        Rated([(28.108, 7.774), (28.108, 7.774), (21.892, 7.774), (21.892, 7.774)], Play(Defaults(2), Defaults(2)));
        Rated(
            [
                (27.198, 8.059),
                (27.198, 8.059),
                (27.198, 8.059),
                (27.198, 8.059),
                (22.802, 8.059),
                (22.802, 8.059),
                (22.802, 8.059),
                (22.802, 8.059),
            ],
            Play(Defaults(4), Defaults(4))
        );
        Rated([(33.730, 7.317), (16.270, 7.317), (16.270, 7.317)], Play(Defaults(1), Defaults(2)));
        Rated([(36.337, 7.527), (13.663, 7.527), (13.663, 7.527), (13.663, 7.527)], Play(Defaults(1), Defaults(3)));
        Rated([(40.582, 7.917), .. Enumerable.Repeat((9.418, 7.917), 7)], Play(Defaults(1), Defaults(7)));
    }

    [Fact]
    public void Upsets_between_unequal_teams()
    {
        // upset(): (20, 8) + (25, 6) beat (35, 7) + (40, 5).
        Rated(
            [(29.698, 7.008), (30.455, 5.594), (27.575, 6.346), (36.211, 4.768)],
            Play([new(20, 8), new(25, 6)], [new(35, 7), new(40, 5)])
        );
        // upset(): three against two, both outcomes.
        Rated(
            [(28.658, 6.770), (27.484, 5.856), (26.336, 4.917), (29.785, 3.958), (30.879, 2.983)],
            Play([new(28, 7), new(27, 6), new(26, 5)], [new(30, 4), new(31, 3)])
        );
        Rated(
            [(32.012, 3.877), (32.132, 2.949), (21.840, 6.314), (22.474, 5.575), (22.857, 4.757)],
            Play([new(30, 4), new(31, 3)], [new(28, 7), new(27, 6), new(26, 5)])
        );
    }

    [Fact]
    public void One_vs_one_between_unequal_ratings()
    {
        // Not in the package's suite; computed from Herbrich et al.'s two-team update with Python's
        // statistics.NormalDist (an implementation independent of this one):
        //   eps = NormalDist().inv_cdf(0.55) * sqrt(2) * 25/6; var_i = sigma_i^2 + (25/300)^2
        //   c = sqrt(var_w + var_l + 2 (25/6)^2); x = (mu_w - mu_l - eps) / c; v = pdf(x)/cdf(x); w = v (v + x)
        //   mu_w += var_w/c v; mu_l -= var_l/c v; sigma_i = sqrt(var_i (1 - var_i/c^2 w))
        var (w, l) = Env.Rate1Vs1(new Rating(20, 8), new Rating(30, 6));
        Rated([(28.082, 6.319), (25.454, 5.328)], [w, l]);
        (w, l) = Env.Rate1Vs1(new Rating(30, 6), new Rating(20, 8));
        Rated([(31.143, 5.645), (17.968, 7.137)], [w, l]);
    }

    [Fact]
    public void Draw_margin_follows_the_draw_probability()
    {
        // A match of n players draws with the configured probability when both sides are equal:
        // P(|diff| <= margin) with diff ~ N(0, n beta^2).
        foreach (var n in new[] { 2, 5, 16 })
        {
            var margin = Env.DrawMargin(n);
            var p = 2 * Normal.Cdf(margin / (Math.Sqrt(n) * Env.Beta)) - 1;
            Assert.Equal(0.10, p, 10);
        }
        Assert.Equal(0, new TrueSkill(drawProbability: 0).DrawMargin(2), 12);
    }

    [Fact]
    public void Win_probability_is_symmetric_and_favours_the_stronger()
    {
        var a = new Rating(30, 2);
        var b = new Rating(25, 3);
        Assert.Equal(1, Env.WinProbability(a, b) + Env.WinProbability(b, a), 12);
        Assert.True(Env.WinProbability(a, b) > 0.5);
        Assert.Equal(0.5, Env.WinProbability(Env.Initial, Env.Initial), 12);
        // Φ(5 / sqrt(2 β² + 4 + 9)): the method's formula.
        Assert.Equal(Normal.Cdf(5 / Math.Sqrt(2 * Env.Beta * Env.Beta + 13)), Env.WinProbability(a, b), 12);
    }

    [Fact]
    public void Extreme_upsets_stay_finite()
    {
        // The package's issue-4 case: a huge favourite loses; V and W switch to their limits.
        var (w, l) = Env.Rate1Vs1(new Rating(27.030, 0.901), new Rating(105.247, 0.439));
        Assert.True(double.IsFinite(w.Mu) && double.IsFinite(w.Sigma) && double.IsFinite(l.Mu) && double.IsFinite(l.Sigma));
        Assert.True(w.Mu > 27.030 && l.Mu < 105.247);
    }

    [Theory]
    [InlineData(-30.0)]
    [InlineData(-6.0)]
    [InlineData(-2.5)]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.46875)]
    [InlineData(1.7)]
    [InlineData(4.0)]
    [InlineData(9.5)]
    [InlineData(27.0)]
    public void Erfc_matches_a_reference_implementation(double x)
    {
        var expected = MathNet.Numerics.SpecialFunctions.Erfc(x);
        var actual = Normal.Erfc(x);
        if (expected < 1e-300)
            Assert.True(actual < 1e-300);
        else
            Assert.True(Math.Abs(actual - expected) <= 1e-14 * Math.Abs(expected), $"erfc({x}): {actual:R} vs {expected:R}");
    }

    [Fact]
    public void Fast_V_and_W_match_the_textbook_formulas()
    {
        for (var x = -40.0; x <= 12; x += 0.0137)
        {
            foreach (var t in new[] { x + 0.05, x - 0.05 })
            {
                var (v, w) = TrueSkill.VW(t, t - x);
                var (rv, rw) = TrueSkill.VWReference(t, t - x);
                Assert.True(Math.Abs(v - rv) <= 1e-12 * Math.Max(1, Math.Abs(rv)), $"V({x}): {v:R} vs {rv:R}");
                Assert.True(Math.Abs(w - rw) <= 1e-9 * Math.Max(1e-3, Math.Abs(rw)), $"W({x}): {w:R} vs {rw:R}");
            }
        }
    }

    [Fact]
    public void Rejects_impossible_parameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrueSkill(sigma: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrueSkill(drawProbability: 1));
        Assert.Throws<ArgumentException>(() => Env.Rate([Env.Initial], []));
    }
}
