using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>Relative scores: TrueSkill per value, the ordering average, bootstrap intervals, expression rates.</summary>
public sealed class RelativeScoringTests
{
    private static readonly Adaem.Core.Theory.ValueTheory Theory = Respondents.Theory;
    private static readonly string[] Codes = Theory.Values.Select(v => v.Code).ToArray();

    /// <summary>Judged responses where model m expresses value v on a question with probability rates[m][v].</summary>
    private static List<JudgedResponse> Synthetic(int questions, IReadOnlyDictionary<string, double[]> rates, int seed)
    {
        var rng = new Random(seed);
        var list = new List<JudgedResponse>();
        for (var q = 0; q < questions; q++)
        {
            foreach (var (model, r) in rates)
            {
                var set = new HashSet<string>(Codes.Where((_, v) => rng.NextDouble() < r[v]), StringComparer.Ordinal);
                list.Add(new JudgedResponse($"q{q:D5}", model, 0, new ParsedResponse("yes", [new Opinion("p", "j")]), [set]));
            }
        }
        return list;
    }

    /// <summary>Four models whose rates on every value are 0.2, 0.4, 0.6, 0.8 in a value-dependent rotation.</summary>
    private static Dictionary<string, double[]> Rotation() =>
        Enumerable
            .Range(0, 4)
            .ToDictionary(m => $"m{m}", m => Enumerable.Range(0, Codes.Length).Select(v => 0.2 + 0.2 * ((m + v) % 4)).ToArray());

    private static EvaluationConfig Config(int orderings = 8, int bootstrap = 0, long seed = 1) =>
        new()
        {
            Orderings = orderings,
            Bootstrap = bootstrap,
            Seed = seed,
        };

    private static double Get(IReadOnlyList<ValueScore> s, string model, string value) =>
        s.Single(x => x.Model == model && x.Value == value).Score;

    [Fact]
    public void Recovers_the_latent_order_on_every_value()
    {
        var rates = Rotation();
        var scores = new RelativeScoring().Score(Synthetic(400, rates, 7), Theory, Config(), CancellationToken.None);
        Assert.Equal(4 * Codes.Length, scores.Count);
        for (var v = 0; v < Codes.Length; v++)
        {
            var byRate = rates.OrderBy(kv => kv.Value[v]).Select(kv => kv.Key).ToList();
            var byScore = rates.Keys.OrderBy(m => Get(scores, m, Codes[v])).ToList();
            Assert.Equal(byRate, byScore);
        }
        Assert.All(scores, s => Assert.InRange(s.Score, 0, 100));
    }

    [Fact]
    public void One_match_gives_the_trueskill_win_probability()
    {
        // q1: a expresses security, b does not. Ratings after one 1-vs-1 win, then Φ of the difference.
        var responses = new List<JudgedResponse>
        {
            new("q1", "a", 0, new ParsedResponse("yes", [new Opinion("p", "")]), [new HashSet<string> { "security" }]),
            new("q1", "b", 0, new ParsedResponse("no", [new Opinion("p", "")]), [new HashSet<string>()]),
        };
        var scores = new RelativeScoring().Score(responses, Theory, Config(orderings: 1), CancellationToken.None);
        var env = new TrueSkill();
        var (w, l) = env.Rate1Vs1(env.Initial, env.Initial);
        Assert.Equal(100 * env.WinProbability(w, l), Get(scores, "a", "security"), 9);
        Assert.Equal(100 * env.WinProbability(l, w), Get(scores, "b", "security"), 9);
        // No match on the other values (nobody expressed them): everyone stays at the prior, 50.
        Assert.Equal(50, Get(scores, "a", "power"), 9);
        Assert.Equal(1.0, scores.Single(s => s is { Model: "a", Value: "security" }).ExpressedRate);
        Assert.Equal(0.0, scores.Single(s => s is { Model: "b", Value: "security" }).ExpressedRate);
    }

    [Fact]
    public void The_order_of_the_input_never_matters()
    {
        var responses = Synthetic(150, Rotation(), 3);
        var rng = new Random(17);
        var shuffled = responses.OrderBy(_ => rng.Next()).ToList();
        var a = new RelativeScoring().Score(responses, Theory, Config(bootstrap: 50), CancellationToken.None);
        var b = new RelativeScoring().Score(shuffled, Theory, Config(bootstrap: 50), CancellationToken.None);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Averaging_orderings_makes_scores_independent_of_the_question_order()
    {
        // Different seeds play the questions in different orders. TrueSkill weighs recent matches more, so
        // one ordering leaves a visible order effect (about 3 points on average here); the default average
        // of 32 orderings (EvaluationConfig.Orderings) shrinks it to about half a point (2.98 → 0.56 when written).
        var responses = Synthetic(120, Rotation(), 11);
        double MeanGap(int orderings)
        {
            var x = new RelativeScoring().Score(responses, Theory, Config(orderings, seed: 1), CancellationToken.None);
            var y = new RelativeScoring().Score(responses, Theory, Config(orderings, seed: 2), CancellationToken.None);
            return x.Zip(y).Average(p => Math.Abs(p.First.Score - p.Second.Score));
        }
        var single = MeanGap(1);
        var averaged = MeanGap(new EvaluationConfig().Orderings);
        Assert.True(averaged < 1.5, $"{new EvaluationConfig().Orderings} orderings still differ by {averaged:F2} points on average");
        Assert.True(averaged < 0.6 * single, $"averaging did not reduce the order effect ({averaged:F2} vs {single:F2})");
    }

    [Fact]
    public void Bootstrap_intervals_contain_the_estimate_and_narrow_with_more_questions()
    {
        var rates = Rotation();
        double MeanWidth(int questions)
        {
            var scores = new RelativeScoring().Score(
                Synthetic(questions, rates, 5),
                Theory,
                Config(bootstrap: 200),
                CancellationToken.None
            );
            foreach (var s in scores)
            {
                Assert.NotNull(s.CiLow);
                Assert.NotNull(s.CiHigh);
                Assert.True(
                    s.CiLow <= s.Score && s.Score <= s.CiHigh,
                    $"{s.Model}/{s.Value}: {s.Score:F2} outside [{s.CiLow:F2}, {s.CiHigh:F2}]"
                );
            }
            return scores.Average(s => s.CiHigh!.Value - s.CiLow!.Value);
        }
        var small = MeanWidth(60);
        var large = MeanWidth(480);
        Assert.True(large < small * 0.75, $"intervals did not narrow: {small:F2} → {large:F2}");
    }

    [Fact]
    public void Replaying_each_resample_in_more_orderings_removes_order_noise_from_the_interval()
    {
        var responses = Synthetic(150, Rotation(), 4);
        double Width(int replays) =>
            new RelativeScoring { BootstrapOrderings = replays }
                .Score(responses, Theory, Config(bootstrap: 100), CancellationToken.None)
                .Average(s => s.CiHigh!.Value - s.CiLow!.Value);
        var one = Width(1);
        var four = Width(4);
        Assert.True(four < one, $"{four:F2} vs {one:F2}");
    }

    [Fact]
    public void No_bootstrap_means_no_interval()
    {
        var scores = new RelativeScoring().Score(Synthetic(30, Rotation(), 1), Theory, Config(bootstrap: 0), CancellationToken.None);
        Assert.All(scores, s => Assert.Null(s.CiLow));
    }

    [Fact]
    public void Questions_where_all_or_none_express_change_nothing()
    {
        var responses = Synthetic(80, Rotation(), 9);
        var padded = new List<JudgedResponse>(responses);
        for (var q = 0; q < 40; q++)
        {
            foreach (var m in Rotation().Keys)
            {
                // Everyone expresses power, nobody anything else: no match on any value.
                padded.Add(
                    new JudgedResponse(
                        $"pad{q:D3}",
                        m,
                        0,
                        new ParsedResponse("yes", [new Opinion("p", "")]),
                        [new HashSet<string> { "power" }]
                    )
                );
            }
        }
        var a = new RelativeScoring().Score(responses, Theory, Config(), CancellationToken.None);
        var b = new RelativeScoring().Score(padded, Theory, Config(), CancellationToken.None);
        foreach (var (x, y) in a.Zip(b))
            Assert.Equal(x.Score, y.Score, 9);
        Assert.NotEqual(
            a.Single(s => s is { Model: "m0", Value: "power" }).ExpressedRate,
            b.Single(s => s is { Model: "m0", Value: "power" }).ExpressedRate
        );
    }

    [Fact]
    public void Failed_answers_count_as_no_answer()
    {
        var ok = new ParsedResponse("yes", [new Opinion("p", "")]);
        var responses = new List<JudgedResponse>
        {
            new("q1", "a", 0, ok, [new HashSet<string> { "power" }]),
            new("q1", "b", 0, ok, [new HashSet<string>()]),
            new("q2", "a", 0, ok, [new HashSet<string> { "power" }]),
            new("q2", "b", 0, null, []) { Failure = "parse: refusal" },
            new("q3", "a", 0, null, []) { Failure = "judge: no JSON" },
            new("q3", "b", 0, ok, [new HashSet<string> { "power" }]),
        };
        var scores = new RelativeScoring().Score(responses, Theory, Config(), CancellationToken.None);
        var a = scores.Single(s => s is { Model: "a", Value: "power" });
        var b = scores.Single(s => s is { Model: "b", Value: "power" });
        Assert.Equal(2, a.N);
        Assert.Equal(2, b.N);
        Assert.Equal(1.0, a.ExpressedRate);
        Assert.Equal(0.5, b.ExpressedRate);
        // Only q1 was a match (q2 and q3 had one answer each): a won it.
        Assert.True(a.Score > 50 && b.Score < 50);
    }

    [Fact]
    public void A_value_counts_when_any_opinion_expresses_it_and_half_the_samples_do()
    {
        var ok = new ParsedResponse("yes", [new Opinion("p", ""), new Opinion("q", "")]);
        var responses = new List<JudgedResponse>
        {
            // OR over opinions: the second opinion carries tradition.
            new("q1", "a", 0, ok, [new HashSet<string>(), new HashSet<string> { "tradition" }]),
            // Two samples, one expresses hedonism: half counts.
            new("q1", "b", 0, ok, [new HashSet<string> { "hedonism" }, new HashSet<string>()]),
            new("q1", "b", 1, ok, [new HashSet<string>(), new HashSet<string>()]),
            // Three samples, one expresses hedonism: less than half does not.
            new("q1", "c", 0, ok, [new HashSet<string> { "hedonism" }, new HashSet<string>()]),
            new("q1", "c", 1, ok, [new HashSet<string>(), new HashSet<string>()]),
            new("q1", "c", 2, ok, [new HashSet<string>(), new HashSet<string>()]),
        };
        var m = ExpressionMatrix.Build(responses, Theory);
        int V(string code) => Theory.IndexOf(code);
        Assert.Equal(1.0, m.ExpressedRate(V("tradition"), 0));
        Assert.Equal(1.0, m.ExpressedRate(V("hedonism"), 1));
        Assert.Equal(0.0, m.ExpressedRate(V("hedonism"), 2));
        Assert.Equal(1, m.AnsweredCount(1));
    }

    [Fact]
    public void Models_without_any_answer_are_left_out_and_the_given_order_is_kept()
    {
        var responses = Synthetic(20, Rotation(), 2);
        var scores = new RelativeScoring().Score(responses, Theory, Config(), ["m3", "ghost", "m0", "m1", "m2"], CancellationToken.None);
        Assert.DoesNotContain(scores, s => s.Model == "ghost");
        Assert.Equal(["m3", "m0", "m1", "m2"], scores.Select(s => s.Model).Distinct());
        Assert.Equal(Codes, scores.Where(s => s.Model == "m3").Select(s => s.Value));
    }

    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        double[] xs = [1, 2, 3, 4, 5];
        Assert.Equal(1, RelativeScoring.Quantile(xs, 0));
        Assert.Equal(3, RelativeScoring.Quantile(xs, 0.5));
        Assert.Equal(4.6, RelativeScoring.Quantile(xs, 0.9), 12);
        Assert.Equal(5, RelativeScoring.Quantile(xs, 1));
    }

    [Fact]
    public void Cancellation_stops_scoring()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new RelativeScoring().Score(Synthetic(10, Rotation(), 1), Theory, Config(bootstrap: 10), cts.Token)
        );
    }
}

/// <summary>The vectorised match loop against TrueSkill.Rate, match by match, including more than 64 models and absentees.</summary>
public sealed class RatingLoopTests
{
    [Theory]
    [InlineData(3, 40)]
    [InlineData(16, 60)]
    [InlineData(70, 25)]
    public void The_vectorised_loop_equals_sequential_trueskill(int models, int questions)
    {
        var theory = Respondents.Theory;
        var rng = new Random(models * 1000 + questions);
        var names = Enumerable.Range(0, models).Select(i => $"m{i:D3}").ToArray();
        var qids = Enumerable.Range(0, questions).Select(i => $"q{i:D3}").ToArray();
        var samples = new int[questions * models];
        var hits = new int[questions * models * theory.Count];
        for (var c = 0; c < samples.Length; c++)
        {
            samples[c] = rng.NextDouble() < 0.9 ? 1 : 0;
            for (var v = 0; v < theory.Count; v++)
                hits[c * theory.Count + v] = samples[c] == 1 && rng.NextDouble() < 0.3 + 0.4 * (c % models) / models ? 1 : 0;
        }
        var matrix = ExpressionMatrix.FromCounts(names, theory.Values.Select(v => v.Code).ToArray(), qids, samples, hits);
        var skill = new TrueSkill();
        var order = Enumerable.Range(0, questions).OrderBy(_ => rng.Next()).ToArray();
        var value = 4;

        var actual = RelativeScoring.Ratings(matrix, skill, value, order);

        var expected = Enumerable.Repeat(skill.Initial, models).ToArray();
        foreach (var q in order)
        {
            var winners = new List<int>();
            var losers = new List<int>();
            for (var m = 0; m < models; m++)
            {
                if (samples[q * models + m] == 0)
                    continue;
                (hits[(q * models + m) * theory.Count + value] == 1 ? winners : losers).Add(m);
            }
            if (winners.Count == 0 || losers.Count == 0)
                continue;
            var w = winners.Select(i => expected[i]).ToArray();
            var l = losers.Select(i => expected[i]).ToArray();
            skill.Rate(w, l);
            for (var i = 0; i < winners.Count; i++)
                expected[winners[i]] = w[i];
            for (var i = 0; i < losers.Count; i++)
                expected[losers[i]] = l[i];
        }
        Assert.Contains(expected, r => r != skill.Initial);
        for (var m = 0; m < models; m++)
        {
            Assert.Equal(expected[m].Mu, actual[m].Mu, 9);
            Assert.Equal(expected[m].Sigma, actual[m].Sigma, 9);
        }
    }
}
