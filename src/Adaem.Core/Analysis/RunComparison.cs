using Adaem.Core.Evaluation;

namespace Adaem.Core.Analysis;

/// <summary>One run as the comparison sees it: its stored scores and the judged answers they were computed from.</summary>
public sealed record ComparedRun(string Label, IReadOnlyList<ValueScore> Scores, IReadOnlyList<JudgedResponse> Responses);

/// <summary>One model and value in both runs: each side's score (null when the model or value is missing there).</summary>
public sealed record ScoreShift(string Model, string Value, ValueScore? A, ValueScore? B)
{
    /// <summary>Score in B minus score in A (NaN when either side is missing).</summary>
    public double Difference => A is { } a && B is { } b ? b.Score - a.Score : double.NaN;

    /// <summary>Expression rate in B minus expression rate in A (NaN when either side is missing).</summary>
    public double ExpressedShift => A is { } a && B is { } b ? b.ExpressedRate - a.ExpressedRate : double.NaN;
}

/// <summary>Spearman's rho between the two runs' scores of one value, over the models scored in both.</summary>
public sealed record RankAgreement(string Value, int Models, double Spearman);

/// <summary>
/// A pair of models whose order on a value differs between the runs, with the test of whether the change
/// exceeds noise. Gap = expression rate of <see cref="First"/> minus that of <see cref="Second"/> over the
/// questions used; the test's statistic is GapB − GapA. <see cref="HolmP"/> is the Holm-adjusted p-value over
/// every pair tested in the comparison: all pairs scored in both runs, not only the ones whose order changed.
/// </summary>
public sealed record OrderChange(
    string Value,
    string First,
    string Second,
    string Test,
    int QuestionsA,
    int QuestionsB,
    double GapA,
    double GapB,
    double P,
    double HolmP
)
{
    public bool BeyondNoise => HolmP < RunComparison.Alpha;
}

/// <summary>Everything `adaem compare` reports.</summary>
public sealed record RunComparisonResult(
    IReadOnlyList<ScoreShift> Shifts,
    IReadOnlyList<RankAgreement> Ranks,
    IReadOnlyList<OrderChange> OrderChanges,
    int SharedQuestions,
    int Resamples
)
{
    /// <summary>The size of the Holm family: every pair of models scored on a value in both runs, flipped or not.</summary>
    public int PairsTested { get; init; }

    /// <summary>How many of the tested pairs used the paired permutation test (the rest used the bootstrap).</summary>
    public int PairedTests { get; init; }
}

/// <summary>
/// Two runs side by side (the paper's periodic re-generation, §3 and §5, makes benchmarks that change over time; this
/// asks whether the measured value orientations moved with them). Scores and their intervals come as stored;
/// the order tests work on per-question expression (the paper's OR over opinions, §3.2).
/// Questions are shared when both runs answered the same question id. Every pair of models scored on a value in
/// both runs is tested, whether or not its order changed: choosing the pairs to test by the sign of the same
/// data the test reads would make the family too small and the p-values too small. A pair with at least
/// <see cref="MinPairedQuestions"/> shared questions (or whose shared questions are all the questions it has on
/// one side) is tested by a paired permutation test (per question, the two runs' gaps are swapped at random);
/// any other pair by a bootstrap over each run's questions. p-values are two-sided, then Holm-adjusted over all
/// pairs tested, because a comparison of many models on ten values makes many tests; the pairs whose order
/// changed are reported with their adjusted p-values.
/// </summary>
public static class RunComparison
{
    /// <summary>The level below which a Holm-adjusted p-value counts as a change beyond noise.</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// The fewest shared questions on which a pair is tested paired: with n questions the smallest two-sided
    /// sign-flip p is 2^(1−n), 0.0039 at n = 9 and 0.002 at n = 10, so below ten a pair can hardly pass Holm's
    /// correction over more than a dozen pairs while the bootstrap over each run's questions can use them all.
    /// </summary>
    public const int MinPairedQuestions = 10;

    public static RunComparisonResult Compare(ComparedRun a, ComparedRun b, int resamples, long seed)
    {
        if (resamples < 1)
            throw new ArgumentOutOfRangeException(nameof(resamples), "at least one resample is needed");
        var shifts = Shifts(a.Scores, b.Scores);
        var values = shifts.Select(s => s.Value).Distinct(StringComparer.Ordinal).ToList();
        var ranks = values.Select(v => Agreement(v, shifts)).ToList();

        var ea = Expression.From(a.Responses);
        var eb = Expression.From(b.Responses);
        var shared = ea.Questions.Intersect(eb.Questions, StringComparer.Ordinal).Count();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var tested = new List<(OrderChange Test, bool Flipped)>();
        foreach (var value in values)
        {
            var both = shifts
                .Where(s => s.Value == value && s.A is not null && s.B is not null)
                .OrderBy(s => s.Model, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < both.Count; i++)
            for (var j = i + 1; j < both.Count; j++)
            {
                var x = both[i];
                var y = both[j];
                var flipped = Math.Sign(x.A!.Score - y.A!.Score) != Math.Sign(x.B!.Score - y.B!.Score);
                tested.Add((TestPair(value, x.Model, y.Model, ea, eb, resamples, rng), flipped));
            }
        }
        var holm = Holm(tested.Select(t => t.Test.P).ToList());
        var changes = tested
            .Select((t, i) => (t.Flipped, Test: t.Test with { HolmP = holm[i] }))
            .Where(t => t.Flipped)
            .Select(t => t.Test)
            .ToList();
        return new RunComparisonResult(shifts, ranks, changes, shared, resamples)
        {
            PairsTested = tested.Count(t => double.IsFinite(t.Test.P)),
            PairedTests = tested.Count(t => double.IsFinite(t.Test.P) && t.Test.Test == PairedTest),
        };
    }

    /// <summary>Every model and value scored in either run, in A's order, then B's extras.</summary>
    public static IReadOnlyList<ScoreShift> Shifts(IReadOnlyList<ValueScore> a, IReadOnlyList<ValueScore> b)
    {
        var byA = a.ToDictionary(s => (s.Model, s.Value));
        var byB = b.ToDictionary(s => (s.Model, s.Value));
        var keys = a.Select(s => (s.Model, s.Value)).Concat(b.Select(s => (s.Model, s.Value))).Distinct().ToList();
        return keys.Select(k => new ScoreShift(k.Model, k.Value, byA.GetValueOrDefault(k), byB.GetValueOrDefault(k))).ToList();
    }

    private static RankAgreement Agreement(string value, IReadOnlyList<ScoreShift> shifts)
    {
        var both = shifts.Where(s => s.Value == value && s.A is not null && s.B is not null).ToList();
        var rho =
            both.Count < 2
                ? double.NaN
                : Correlation.Spearman(both.Select(s => s.A!.Score).ToList(), both.Select(s => s.B!.Score).ToList());
        return new RankAgreement(value, both.Count, rho);
    }

    /// <summary>The name <see cref="OrderChange.Test"/> gives the paired permutation test.</summary>
    public const string PairedTest = "paired permutation";

    /// <summary>The name <see cref="OrderChange.Test"/> gives the bootstrap over each run's questions.</summary>
    public const string BootstrapTest = "bootstrap";

    private static OrderChange TestPair(string value, string first, string second, Expression a, Expression b, int resamples, Random rng)
    {
        var gapsA = a.Gaps(value, first, second);
        var gapsB = b.Gaps(value, first, second);
        var common = gapsA.Keys.Intersect(gapsB.Keys, StringComparer.Ordinal).OrderBy(q => q, StringComparer.Ordinal).ToList();
        if (common.Count >= MinPairedQuestions || (common.Count > 0 && common.Count == Math.Min(gapsA.Count, gapsB.Count)))
        {
            var xa = common.Select(q => gapsA[q]).ToList();
            var xb = common.Select(q => gapsB[q]).ToList();
            return new OrderChange(
                value,
                first,
                second,
                PairedTest,
                common.Count,
                common.Count,
                Mean(xa),
                Mean(xb),
                PairedPermutationP(xa, xb, resamples, rng),
                double.NaN
            );
        }
        var la = gapsA.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        var lb = gapsB.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        return new OrderChange(
            value,
            first,
            second,
            BootstrapTest,
            la.Count,
            lb.Count,
            Mean(la),
            Mean(lb),
            BootstrapP(la, lb, resamples, rng),
            double.NaN
        );
    }

    /// <summary>
    /// Two-sided paired permutation test of mean(b − a) = 0: under the null the two runs are exchangeable per
    /// question, so each question's difference keeps or flips its sign at random. p = (1 + #|T*| ≥ |T|) / (1 + R),
    /// never 0. NaN with no pairs.
    /// </summary>
    public static double PairedPermutationP(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples, Random rng)
    {
        if (a.Count != b.Count)
            throw new ArgumentException("paired samples must have the same length");
        if (a.Count == 0)
            return double.NaN;
        var d = new double[a.Count];
        for (var i = 0; i < d.Length; i++)
            d[i] = b[i] - a[i];
        var observed = Math.Abs(d.Sum());
        var tolerance = 1e-12 * Math.Max(1, observed);
        var hits = 0;
        for (var r = 0; r < resamples; r++)
        {
            double s = 0;
            for (var i = 0; i < d.Length; i++)
                s += rng.Next(2) == 0 ? d[i] : -d[i];
            if (Math.Abs(s) >= observed - tolerance)
                hits++;
        }
        return (1.0 + hits) / (1.0 + resamples);
    }

    /// <summary>
    /// Two-sided bootstrap test of mean(b) − mean(a) = 0 for independent question sets: each resample draws
    /// both runs' questions with replacement, and p = 2 · min(share of differences ≤ 0, share ≥ 0), with the
    /// same +1 correction as the permutation test, capped at 1. NaN when a side is empty.
    /// </summary>
    public static double BootstrapP(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples, Random rng)
    {
        if (a.Count == 0 || b.Count == 0)
            return double.NaN;
        int atOrBelow = 0,
            atOrAbove = 0;
        for (var r = 0; r < resamples; r++)
        {
            var diff = Resample(b, rng) - Resample(a, rng);
            if (diff <= 0)
                atOrBelow++;
            if (diff >= 0)
                atOrAbove++;
        }
        var tail = (1.0 + Math.Min(atOrBelow, atOrAbove)) / (1.0 + resamples);
        return Math.Min(1.0, 2 * tail);
    }

    /// <summary>Holm's step-down adjustment; NaN p-values stay NaN and do not count as tests.</summary>
    public static double[] Holm(IReadOnlyList<double> p)
    {
        var result = p.ToArray();
        var order = Enumerable.Range(0, p.Count).Where(i => double.IsFinite(p[i])).OrderBy(i => p[i]).ToArray();
        var m = order.Length;
        var running = 0.0;
        for (var k = 0; k < m; k++)
        {
            running = Math.Max(running, Math.Min(1.0, (m - k) * p[order[k]]));
            result[order[k]] = running;
        }
        return result;
    }

    private static double Resample(IReadOnlyList<double> x, Random rng)
    {
        double s = 0;
        for (var i = 0; i < x.Count; i++)
            s += x[rng.Next(x.Count)];
        return s / x.Count;
    }

    private static double Mean(IReadOnlyList<double> x) => x.Count == 0 ? double.NaN : x.Average();

    /// <summary>Per question, model and value: the share of a model's judged samples that express the value.</summary>
    private sealed class Expression
    {
        private readonly Dictionary<(string Question, string Model), IReadOnlyList<JudgedResponse>> _answers;

        private Expression(Dictionary<(string, string), IReadOnlyList<JudgedResponse>> answers) => _answers = answers;

        public IEnumerable<string> Questions => _answers.Keys.Select(k => k.Question).Distinct(StringComparer.Ordinal);

        public static Expression From(IReadOnlyList<JudgedResponse> responses) =>
            new(
                responses
                    .Where(r => !r.Failed)
                    .GroupBy(r => (r.QuestionId, r.Model))
                    .ToDictionary(g => g.Key, g => (IReadOnlyList<JudgedResponse>)g.ToList())
            );

        /// <summary>Per question both models answered: rate(first) − rate(second).</summary>
        public Dictionary<string, double> Gaps(string value, string first, string second)
        {
            var gaps = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var q in Questions)
            {
                if (_answers.TryGetValue((q, first), out var f) && _answers.TryGetValue((q, second), out var s))
                    gaps[q] = Rate(f, value) - Rate(s, value);
            }
            return gaps;
        }

        private static double Rate(IReadOnlyList<JudgedResponse> samples, string value) =>
            samples.Count(r => r.Expressed.Contains(value)) / (double)samples.Count;
    }
}
