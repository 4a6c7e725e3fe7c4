using Adaem.Core.Configuration;

namespace Adaem.Core.Evaluation;

/// <summary>A TrueSkill rating: mean skill and its uncertainty.</summary>
public readonly record struct Rating(double Mu, double Sigma);

/// <summary>
/// TrueSkill (Herbrich, Minka and Graepel 2006) for a match between two teams, which is all the method
/// needs: on one question and one value, the models that express the value beat the ones that do not.
/// With two teams the factor graph has no loop, so the update below is exact and equals what the
/// reference Python package (trueskill.org) computes; TrueSkillTests checks it against that package's
/// published test values. A team's performance is the sum of its members' performances, every member
/// plays fully, and the draw margin grows with the square root of the number of players in the match.
/// </summary>
public sealed class TrueSkill
{
    /// <summary>Below this cumulative probability V and W switch to their limits (as in the reference package).</summary>
    private const double Few = 2.222758749e-162;

    public TrueSkill(
        double mu = 25.0,
        double sigma = 25.0 / 3,
        double beta = 25.0 / 6,
        double tau = 25.0 / 300,
        double drawProbability = 0.10
    )
    {
        if (sigma <= 0 || beta <= 0 || tau < 0)
            throw new ArgumentOutOfRangeException(nameof(sigma), "sigma and beta must be positive, tau non-negative");
        if (drawProbability is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(drawProbability), "draw probability must be in [0, 1)");
        Mu = mu;
        Sigma = sigma;
        Beta = beta;
        Tau = tau;
        DrawProbability = drawProbability;
        DrawQuantile = Normal.InverseCdf((drawProbability + 1) / 2);
    }

    public static TrueSkill From(EvaluationConfig config) =>
        new(config.Mu, config.Sigma, config.BetaTrueSkill, config.Tau, config.DrawProbability);

    public double Mu { get; }
    public double Sigma { get; }
    public double Beta { get; }
    public double Tau { get; }
    public double DrawProbability { get; }

    /// <summary>Φ⁻¹((p + 1) / 2): the draw margin of a match of n players is this × √n × β.</summary>
    internal double DrawQuantile { get; }

    public Rating Initial => new(Mu, Sigma);

    public double DrawMargin(int players) => DrawQuantile * Math.Sqrt(players) * Beta;

    /// <summary>Rates a match the <paramref name="winners"/> won against the <paramref name="losers"/>, in place.</summary>
    public void Rate(Span<Rating> winners, Span<Rating> losers)
    {
        if (winners.Length == 0 || losers.Length == 0)
            throw new ArgumentException("both teams need at least one player");
        var tau2 = Tau * Tau;
        double c2 = (winners.Length + losers.Length) * Beta * Beta,
            muW = 0,
            muL = 0;
        foreach (var r in winners)
        {
            c2 += r.Sigma * r.Sigma + tau2;
            muW += r.Mu;
        }
        foreach (var r in losers)
        {
            c2 += r.Sigma * r.Sigma + tau2;
            muL += r.Mu;
        }
        var c = Math.Sqrt(c2);
        var (v, w) = VW((muW - muL) / c, DrawMargin(winners.Length + losers.Length) / c);
        Apply(winners, +1, c, c2, v, w, tau2);
        Apply(losers, -1, c, c2, v, w, tau2);
    }

    public (Rating Winner, Rating Loser) Rate1Vs1(Rating winner, Rating loser)
    {
        Span<Rating> a = [winner];
        Span<Rating> b = [loser];
        Rate(a, b);
        return (a[0], b[0]);
    }

    /// <summary>Probability that <paramref name="a"/> outperforms <paramref name="b"/> in one match (no draw margin).</summary>
    public double WinProbability(Rating a, Rating b) =>
        Normal.Cdf((a.Mu - b.Mu) / Math.Sqrt(2 * Beta * Beta + a.Sigma * a.Sigma + b.Sigma * b.Sigma));

    private static void Apply(Span<Rating> team, int sign, double c, double c2, double v, double w, double tau2)
    {
        for (var i = 0; i < team.Length; i++)
        {
            var var = team[i].Sigma * team[i].Sigma + tau2;
            team[i] = new Rating(team[i].Mu + sign * var / c * v, Math.Sqrt(var * (1 - var / c2 * w)));
        }
    }

    /// <summary>
    /// The truncated-Gaussian corrections of a win: V shifts the means, W shrinks the variances.
    /// t = performance difference / c, e = draw margin / c. V = φ(x)/Φ(x) with x = t − e, computed from
    /// the scaled complementary error function so that one exponential (none when x &lt; −0.66) suffices
    /// and deep upsets do not underflow; below the reference package's cut-off they switch to its limits.
    /// </summary>
    internal static (double V, double W) VW(double t, double e)
    {
        var x = t - e;
        if (x < Normal.FewCutoff)
            return (-x, t < 0 ? 1.0 : 0.0);
        var v = Normal.PdfOverCdf(x);
        return (v, v * (v + x));
    }

    /// <summary>The textbook V and W (pdf / cdf, with the same cut-off); kept to check <see cref="VW"/> against.</summary>
    internal static (double V, double W) VWReference(double t, double e)
    {
        var x = t - e;
        var cdf = Normal.Cdf(x);
        if (cdf < Few)
            return (-x, t < 0 ? 1.0 : 0.0);
        var v = Normal.Pdf(x) / cdf;
        return (v, v * (v + x));
    }
}

/// <summary>The standard normal distribution, accurate to double precision (erfc after W. J. Cody).</summary>
internal static class Normal
{
    private const double InvSqrt2Pi = 0.3989422804014327;
    private const double InvSqrt2 = 0.7071067811865476;

    public static double Pdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    public static double Cdf(double x) => 0.5 * Erfc(-x * InvSqrt2);

    public static double InverseCdf(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);

    /// <summary>The x below which Φ(x) &lt; 2.222758749e-162, the reference package's switch to the limits of V and W.</summary>
    public static readonly double FewCutoff = FindFewCutoff();

    /// <summary>φ(x) / Φ(x) without forming tiny numbers: erfc(y) = R(y)·exp(−y²) for y &gt; 0.46875.</summary>
    public static double PdfOverCdf(double x)
    {
        var y = Math.Abs(x) * InvSqrt2;
        if (y <= 0.46875)
            return Pdf(x) / Cdf(x);
        var r = ErfcTail(y);
        // x < 0: φ = e^{-y²}/√(2π), Φ = ½·R·e^{-y²}, the exponentials cancel.
        if (x < 0)
            return 2 * InvSqrt2Pi / r;
        var ey = Math.Exp(-y * y);
        return InvSqrt2Pi * ey / (1 - 0.5 * r * ey);
    }

    private static double FindFewCutoff()
    {
        double lo = -40,
            hi = -20;
        for (var i = 0; i < 200; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (Cdf(mid) < 2.222758749e-162)
                lo = mid;
            else
                hi = mid;
        }
        return hi;
    }

    /// <summary>Complementary error function, Cody's rational Chebyshev approximations (relative error &lt; 1e-15).</summary>
    public static double Erfc(double x)
    {
        var y = Math.Abs(x);
        if (y <= 0.46875)
        {
            var z = y > 1.11e-16 ? y * y : 0;
            var num = (
                (((0.185777706184603153 * z + 3.16112374387056560) * z + 113.864154151050156) * z + 377.485237685302021) * z
                + 3209.37758913846947
            );
            var den = ((((z + 23.6012909523441209) * z + 244.024637934444173) * z + 1282.61652607737228) * z + 2844.23683343917062);
            return 1 - x * num / den;
        }
        var result = y < 26.7 ? ErfcTail(y) * ExpSquared(y) : 0;
        return x < 0 ? 2 - result : result;
    }

    /// <summary>R(y) = erfc(y)·exp(y²) for y &gt; 0.46875 (Cody's second and third ranges).</summary>
    private static double ErfcTail(double y)
    {
        if (y <= 4)
        {
            var num = 2.15311535474403846e-8 * y;
            var den = y;
            num = (num + 0.564188496988670089) * y;
            den = (den + 15.7449261107098347) * y;
            num = (num + 8.88314979438837594) * y;
            den = (den + 117.693950891312499) * y;
            num = (num + 66.1191906371416295) * y;
            den = (den + 537.181101862009858) * y;
            num = (num + 298.635138197400131) * y;
            den = (den + 1621.38957456669019) * y;
            num = (num + 881.952221241769090) * y;
            den = (den + 3290.79923573345963) * y;
            num = (num + 1712.04761263407058) * y;
            den = (den + 4362.61909014324716) * y;
            num = (num + 2051.07837782607147) * y;
            den = (den + 3439.36767414372164) * y;
            return (num + 1230.33935479799725) / (den + 1230.33935480374942);
        }
        var z = 1 / (y * y);
        var n = 0.0163153871373020978 * z;
        var d = z;
        n = (n + 0.305326634961232344) * z;
        d = (d + 2.56852019228982242) * z;
        n = (n + 0.360344899949804439) * z;
        d = (d + 1.87295284992346725) * z;
        n = (n + 0.125781726111229246) * z;
        d = (d + 0.527905102951428412) * z;
        n = (n + 0.0160837851487422766) * z;
        d = (d + 0.0605183413124413191) * z;
        var r = z * (n + 6.58749161529837803e-4) / (d + 2.33520497626869185e-3);
        return (0.5641895835477563 - r) / y;
    }

    /// <summary>exp(-y²) computed as exp(-ysq²)·exp(-(y-ysq)(y+ysq)) to keep precision for large y.</summary>
    private static double ExpSquared(double y)
    {
        var ysq = Math.Truncate(y * 16) / 16;
        var del = (y - ysq) * (y + ysq);
        return Math.Exp(-ysq * ysq) * Math.Exp(-del);
    }
}
