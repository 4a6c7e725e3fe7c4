using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Adaem.Core.Configuration;
using Adaem.Core.Theory;

namespace Adaem.Core.Evaluation;

/// <summary>
/// The method's relative value scores. Per value, every question is a TrueSkill match between the models
/// that expressed the value (winners) and those that answered without expressing it (losers); questions
/// where all or none of the answering models express it carry no ranking information and are skipped.
/// A model's score is its mean probability of beating each other model, × 100.
///
/// TrueSkill depends on the order of matches, and questions have no natural order, so the point estimate
/// averages the scores of <see cref="EvaluationConfig.Orderings"/> seeded shuffles of the questions.
/// Confidence intervals are percentile bootstrap intervals over questions resampled with replacement;
/// each resample is played in its own random order (drawing indices i.i.d. already is one), which keeps the
/// cost at one pass per resample while the spread still includes the order effect.
/// </summary>
public sealed class RelativeScoring : IValueScoring
{
    /// <summary>Orderings played (and averaged) per bootstrap resample; 1 by default, see the class remarks.</summary>
    public int BootstrapOrderings { get; init; } = 1;

    public IReadOnlyList<ValueScore> Score(
        IReadOnlyList<JudgedResponse> responses,
        ValueTheory theory,
        EvaluationConfig config,
        CancellationToken cancellationToken
    ) => Score(ExpressionMatrix.Build(responses, theory), config, cancellationToken);

    /// <summary>Scores with the models in the given order (e.g. the config's targets).</summary>
    public IReadOnlyList<ValueScore> Score(
        IReadOnlyList<JudgedResponse> responses,
        ValueTheory theory,
        EvaluationConfig config,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    ) => Score(ExpressionMatrix.Build(responses, theory, models), config, cancellationToken);

    /// <summary>Scores every (model, value). Models without a single usable answer are left out.</summary>
    public IReadOnlyList<ValueScore> Score(ExpressionMatrix matrix, EvaluationConfig config, CancellationToken cancellationToken) =>
        Scores(matrix, config, Play(matrix, config, cancellationToken));

    /// <summary>
    /// Scores every (player, value) as <see cref="Score(ExpressionMatrix, EvaluationConfig, CancellationToken)"/> does and, for each
    /// pair of players, the difference of their scores on every value (<see cref="PlayerPair.To"/> minus <see cref="PlayerPair.From"/>)
    /// with a paired bootstrap interval: each resample of questions scores both players, and the interval is the percentile
    /// interval of the resampled differences, so what the two players share (the questions drawn) cancels. A pair with a
    /// player that never answered is left out.
    /// </summary>
    public (IReadOnlyList<ValueScore> Scores, IReadOnlyList<ScoreDifference> Differences) ScoreWithDifferences(
        ExpressionMatrix matrix,
        EvaluationConfig config,
        IReadOnlyList<PlayerPair> pairs,
        CancellationToken cancellationToken
    )
    {
        var played = Play(matrix, config, cancellationToken);
        // Before the scores sort each player's resamples in place.
        var differences = Differences(matrix, config, played, pairs);
        return (Scores(matrix, config, played), differences);
    }

    /// <summary>Point estimates [value × players + player] and bootstrap resamples [(value × players + player) × boots + b].</summary>
    private sealed record Played(double[] Point, double[] Resampled, int Boots);

    private Played Play(ExpressionMatrix matrix, EvaluationConfig config, CancellationToken cancellationToken)
    {
        if (config.Orderings < 1)
            throw new ArgumentException("orderings must be at least 1", nameof(config));
        if (config.Bootstrap < 0)
            throw new ArgumentException("bootstrap must not be negative", nameof(config));
        if (config.Confidence is <= 0 or >= 1)
            throw new ArgumentException("confidence must be in (0, 1)", nameof(config));
        var game = Game.Create(matrix, TrueSkill.From(config));
        int nv = matrix.Values.Count,
            nm = matrix.Models.Count;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };

        // Point estimate: the mean over seeded orderings, one task per (value, ordering).
        var perOrdering = new double[nv * config.Orderings * nm];
        Parallel.For(
            0,
            nv * config.Orderings,
            parallel,
            () => new Workspace(game),
            (task, _, ws) =>
            {
                int v = task / config.Orderings,
                    k = task % config.Orderings;
                var active = game.Active[v];
                var order = ws.Order.AsSpan(0, active.Length);
                active.CopyTo(order);
                var rng = new SplitMix64(Seed(config.Seed, 1, v, k));
                for (var i = order.Length - 1; i > 0; i--)
                {
                    var j = rng.NextBelow(i + 1);
                    (order[i], order[j]) = (order[j], order[i]);
                }
                ws.Reset();
                foreach (var q in order)
                    game.Play(v, q, ws);
                game.Scores(ws, perOrdering.AsSpan(task * nm, nm));
                return ws;
            },
            _ => { }
        );
        var point = new double[nv * nm];
        for (var task = 0; task < nv * config.Orderings; task++)
        {
            var v = task / config.Orderings;
            for (var i = 0; i < nm; i++)
                point[v * nm + i] += perOrdering[task * nm + i] / config.Orderings;
        }

        // Bootstrap: one resample of questions per task, shared by all values so the intervals are joint.
        var boots = config.Bootstrap;
        var resampled = new double[nv * nm * Math.Max(boots, 1)];
        if (boots > 0)
        {
            var q = matrix.QuestionIds.Count;
            var replays = Math.Max(1, BootstrapOrderings);
            Parallel.For(
                0,
                boots,
                parallel,
                () => new Workspace(game),
                (b, _, ws) =>
                {
                    var rng = new SplitMix64(Seed(config.Seed, 2, b, 0));
                    var draw = ws.Order.AsSpan(0, q);
                    for (var i = 0; i < draw.Length; i++)
                        draw[i] = rng.NextBelow(q);
                    Span<double> scores = stackalloc double[nm];
                    for (var v = 0; v < nv; v++)
                    {
                        for (var i = 0; i < nm; i++)
                            resampled[(v * nm + i) * boots + b] = 0;
                    }
                    for (var r = 0; r < replays; r++)
                    {
                        // The i.i.d. draw is already a random order; further replays reshuffle it.
                        if (r > 0)
                        {
                            for (var i = draw.Length - 1; i > 0; i--)
                            {
                                var j = rng.NextBelow(i + 1);
                                (draw[i], draw[j]) = (draw[j], draw[i]);
                            }
                        }
                        for (var v = 0; v < nv; v++)
                        {
                            ws.Reset();
                            var isActive = game.IsActive[v];
                            foreach (var qi in draw)
                            {
                                if (isActive[qi])
                                    game.Play(v, qi, ws);
                            }
                            game.Scores(ws, scores);
                            for (var i = 0; i < nm; i++)
                                resampled[(v * nm + i) * boots + b] += scores[i] / replays;
                        }
                    }
                    return ws;
                },
                _ => { }
            );
        }

        return new Played(point, resampled, boots);
    }

    private static List<ValueScore> Scores(ExpressionMatrix matrix, EvaluationConfig config, Played played)
    {
        var (point, resampled, boots) = (played.Point, played.Resampled, played.Boots);
        int nv = matrix.Values.Count,
            nm = matrix.Models.Count;
        var result = new List<ValueScore>(nv * nm);
        var alpha = (1 - config.Confidence) / 2;
        for (var i = 0; i < nm; i++)
        {
            var n = matrix.AnsweredCount(i);
            if (n == 0)
                continue;
            for (var v = 0; v < nv; v++)
            {
                double? low = null,
                    high = null;
                if (boots > 0)
                {
                    var span = resampled.AsSpan((v * nm + i) * boots, boots);
                    span.Sort();
                    low = Quantile(span, alpha);
                    high = Quantile(span, 1 - alpha);
                }
                result.Add(new ValueScore(matrix.Models[i], matrix.Values[v], point[v * nm + i], low, high, matrix.ExpressedRate(v, i), n));
            }
        }
        return result;
    }

    private static List<ScoreDifference> Differences(
        ExpressionMatrix matrix,
        EvaluationConfig config,
        Played played,
        IReadOnlyList<PlayerPair> pairs
    )
    {
        var (point, resampled, boots) = (played.Point, played.Resampled, played.Boots);
        int nv = matrix.Values.Count,
            nm = matrix.Models.Count;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nm; i++)
            index[matrix.Models[i]] = i;
        var alpha = (1 - config.Confidence) / 2;
        var result = new List<ScoreDifference>(pairs.Count * nv);
        var diff = new double[Math.Max(boots, 1)];
        foreach (var pair in pairs)
        {
            if (!index.TryGetValue(pair.From, out var a))
                throw new ArgumentException($"'{pair.From}' is not a player of the matrix", nameof(pairs));
            if (!index.TryGetValue(pair.To, out var b))
                throw new ArgumentException($"'{pair.To}' is not a player of the matrix", nameof(pairs));
            if (matrix.AnsweredCount(a) == 0 || matrix.AnsweredCount(b) == 0)
                continue;
            var n = matrix.AnsweredBoth(a, b);
            for (var v = 0; v < nv; v++)
            {
                double? low = null,
                    high = null;
                if (boots > 0)
                {
                    for (var k = 0; k < boots; k++)
                        diff[k] = resampled[(v * nm + b) * boots + k] - resampled[(v * nm + a) * boots + k];
                    var span = diff.AsSpan(0, boots);
                    span.Sort();
                    low = Quantile(span, alpha);
                    high = Quantile(span, 1 - alpha);
                }
                result.Add(new ScoreDifference(pair.From, pair.To, matrix.Values[v], point[v * nm + b] - point[v * nm + a], low, high, n));
            }
        }
        return result;
    }

    /// <summary>
    /// The ratings after playing <paramref name="order"/> (question indices of the matrix) on one value;
    /// questions without a winner and a loser are skipped. The hot loops use the same Play; tests compare
    /// it with <see cref="TrueSkill.Rate"/> applied match by match.
    /// </summary>
    internal static Rating[] Ratings(ExpressionMatrix matrix, TrueSkill skill, int value, ReadOnlySpan<int> order)
    {
        var game = Game.Create(matrix, skill);
        var ws = new Workspace(game);
        ws.Reset();
        foreach (var q in order)
        {
            if (game.IsActive[value][q])
                game.Play(value, q, ws);
        }
        var result = new Rating[game.Models];
        for (var i = 0; i < result.Length; i++)
            result[i] = new Rating(ws.Mu[i], Math.Sqrt(ws.Var[i]));
        return result;
    }

    /// <summary>Linear interpolation between order statistics (the common "type 7" definition).</summary>
    internal static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 1)
            return sorted[0];
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>A stream seed from the config seed, a purpose tag and two indices (SplitMix64 finaliser).</summary>
    internal static ulong Seed(long seed, int tag, int a, int b)
    {
        var x = (ulong)seed;
        x = SplitMix64.Mix(x ^ ((ulong)tag * 0xD1B54A32D192ED03UL));
        x = SplitMix64.Mix(x ^ ((ulong)(uint)a * 0x9E3779B97F4A7C15UL));
        return SplitMix64.Mix(x ^ ((ulong)(uint)b * 0xBF58476D1CE4E5B9UL));
    }

    /// <summary>Per-thread ratings and a scratch buffer, reused across tasks.</summary>
    private sealed class Workspace(Game game)
    {
        public readonly double[] Mu = new double[game.Padded];
        public readonly double[] Var = new double[game.Padded];
        public readonly int[] Order = new int[game.Questions];
        private readonly double _mu = game.Skill.Mu;
        private readonly double _var = game.Skill.Sigma * game.Skill.Sigma;

        public void Reset()
        {
            Array.Fill(Mu, _mu);
            Array.Fill(Var, _var);
        }
    }

    /// <summary>
    /// The matrix and TrueSkill constants in the shape the hot loop wants. Ratings live in arrays padded to
    /// whole SIMD vectors; a match expands the question's bitmasks a vector's width at a time through a
    /// small table (bits → lanes of 0/1), so every model is updated with the same vector arithmetic and no
    /// branches, while the masks stay compact enough (8 bytes per question and value for up to 64 models)
    /// to sit in cache however randomly the questions are visited. Absent models have flag 0 and sign 0,
    /// so every term that would touch them is zero.
    /// </summary>
    private sealed class Game
    {
        public required TrueSkill Skill { get; init; }
        public required int Models { get; init; }

        /// <summary>Models rounded up to a whole number of SIMD vectors.</summary>
        public required int Padded { get; init; }
        public required int Questions { get; init; }
        public required int Words { get; init; }
        public required ulong[] Participants { get; init; }
        public required ulong[] Expressed { get; init; }

        /// <summary>Entry b: a vector whose lane j is bit j of b (1.0 or 0.0).</summary>
        public required Vector<double>[] Lanes { get; init; }

        /// <summary>Per question: number of models that answered it.</summary>
        public required int[] Players { get; init; }
        public required int[] Answered { get; init; }

        /// <summary>Per value: the questions that are real matches (someone won, someone lost), in id order.</summary>
        public required int[][] Active { get; init; }
        public required bool[][] IsActive { get; init; }

        /// <summary>Draw margin by number of players.</summary>
        public required double[] DrawMargin { get; init; }
        public required double Beta2 { get; init; }
        public required double Tau2 { get; init; }

        public static Game Create(ExpressionMatrix m, TrueSkill skill)
        {
            int nq = m.QuestionIds.Count,
                nv = m.Values.Count,
                w = m.Words,
                nm = m.Models.Count;
            var width = Vector<double>.Count;
            var padded = Math.Max(width, (nm + width - 1) / width * width);
            var lanes = new Vector<double>[1 << width];
            Span<double> lane = stackalloc double[width];
            for (var b = 0; b < lanes.Length; b++)
            {
                for (var j = 0; j < width; j++)
                    lane[j] = (b >> j) & 1;
                lanes[b] = new Vector<double>(lane);
            }
            var players = new int[nq];
            for (var q = 0; q < nq; q++)
            {
                for (var k = 0; k < w; k++)
                    players[q] += BitOperations.PopCount(m.Participants[q * w + k]);
            }
            var active = new int[nv][];
            var isActive = new bool[nv][];
            var list = new List<int>(nq);
            for (var v = 0; v < nv; v++)
            {
                list.Clear();
                isActive[v] = new bool[nq];
                for (var q = 0; q < nq; q++)
                {
                    var winners = 0;
                    for (var k = 0; k < w; k++)
                        winners += BitOperations.PopCount(m.Expressed[(v * nq + q) * w + k]);
                    if (winners == 0 || winners == players[q])
                        continue;
                    isActive[v][q] = true;
                    list.Add(q);
                }
                active[v] = list.ToArray();
            }
            var margins = new double[nm + 1];
            for (var n = 1; n < margins.Length; n++)
                margins[n] = skill.DrawMargin(n);
            return new Game
            {
                Skill = skill,
                Models = nm,
                Padded = padded,
                Questions = nq,
                Words = w,
                Participants = m.Participants,
                Expressed = m.Expressed,
                Lanes = lanes,
                Players = players,
                Answered = m.Answered,
                Active = active,
                IsActive = isActive,
                DrawMargin = margins,
                Beta2 = skill.Beta * skill.Beta,
                Tau2 = skill.Tau * skill.Tau,
            };
        }

        /// <summary>
        /// One match, question <paramref name="q"/> on value <paramref name="v"/>: the expressing models beat
        /// the others (TrueSkill.Rate, vectorised over the models).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Play(int v, int q, Workspace ws)
        {
            var mu = MemoryMarshal.Cast<double, Vector<double>>(ws.Mu.AsSpan());
            var var = MemoryMarshal.Cast<double, Vector<double>>(ws.Var.AsSpan());
            // Lane indices are masked to the table's size, so the table reads skip bounds checks.
            ref var lanes = ref MemoryMarshal.GetArrayDataReference(Lanes);
            var width = Vector<double>.Count;
            var laneMask = (1UL << width) - 1;
            var perWord = 64 / width;
            var parts = Participants.AsSpan(q * Words, Words);
            var wins = Expressed.AsSpan((v * Questions + q) * Words, Words);
            var tau2 = new Vector<double>(Tau2);
            var c2v = Vector<double>.Zero;
            var diffv = Vector<double>.Zero;
            var k = 0;
            for (var word = 0; word < parts.Length; word++)
            {
                ulong pw = parts[word],
                    ew = wins[word];
                for (var j = 0; j < perWord && k < var.Length; j++, k++, pw >>= width, ew >>= width)
                {
                    var part = Unsafe.Add(ref lanes, (nint)(pw & laneMask));
                    var won = Unsafe.Add(ref lanes, (nint)(ew & laneMask));
                    var s2 = var[k] + tau2 * part;
                    var[k] = s2;
                    c2v += s2 * part;
                    diffv += (won + won - part) * mu[k];
                }
            }
            var players = Players[q];
            var c2 = Vector.Sum(c2v) + players * Beta2;
            var invC = 1 / Math.Sqrt(c2);
            var (vv, ww) = TrueSkill.VW(Vector.Sum(diffv) * invC, DrawMargin[players] * invC);
            var vc = new Vector<double>(vv * invC);
            var wc = new Vector<double>(ww * invC * invC);
            k = 0;
            for (var word = 0; word < parts.Length; word++)
            {
                ulong pw = parts[word],
                    ew = wins[word];
                for (var j = 0; j < perWord && k < var.Length; j++, k++, pw >>= width, ew >>= width)
                {
                    var part = Unsafe.Add(ref lanes, (nint)(pw & laneMask));
                    var won = Unsafe.Add(ref lanes, (nint)(ew & laneMask));
                    var s2 = var[k];
                    mu[k] += (won + won - part) * s2 * vc;
                    var[k] = s2 * (Vector<double>.One - part * s2 * wc);
                }
            }
        }

        /// <summary>Mean win probability (× 100) of each answering model against every other answering model.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Scores(Workspace ws, Span<double> into)
        {
            var beta2x2 = 2 * Beta2;
            var answering = 0;
            for (var j = 0; j < Models; j++)
                if (Answered[j] > 0)
                    answering++;
            for (var i = 0; i < Models; i++)
            {
                // Alone (or absent) there is nobody to compare with: the neutral 50.
                if (Answered[i] == 0 || answering < 2)
                {
                    into[i] = 50;
                    continue;
                }
                double sum = 0;
                for (var j = 0; j < Models; j++)
                {
                    if (j == i || Answered[j] == 0)
                        continue;
                    sum += Normal.Cdf((ws.Mu[i] - ws.Mu[j]) / Math.Sqrt(beta2x2 + ws.Var[i] + ws.Var[j]));
                }
                into[i] = 100 * sum / (answering - 1);
            }
        }
    }
}

/// <summary>Two players whose scores are compared: <see cref="ScoreDifference.Difference"/> is To's score minus From's.</summary>
public sealed record PlayerPair(string From, string To);

/// <summary>
/// To's score minus From's on one value, with the paired bootstrap interval of the difference, and <paramref name="N"/>,
/// the questions on which both gave a usable answer.
/// </summary>
public sealed record ScoreDifference(string From, string To, string Value, double Difference, double? CiLow, double? CiHigh, int N);

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast, well-mixed generator for seeded streams.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, n) by Lemire's multiply-shift (bias below 2⁻³² for the sizes used here).</summary>
    public int NextBelow(int n) => (int)(((Next() >> 32) * (ulong)(uint)n) >> 32);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
