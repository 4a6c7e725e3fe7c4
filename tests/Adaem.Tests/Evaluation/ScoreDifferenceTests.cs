using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// Differences between named players of one relative pool (RelativeScoring.ScoreWithDifferences) and the cross-lingual
/// scores and shifts built on them (CrossLingualScoring): a case computed by hand, the pairing of the bootstrap (both
/// scores from the same resamples), and a planted language effect recovered while an unplanted one is not.
/// </summary>
public sealed class ScoreDifferenceTests
{
    private static readonly Adaem.Core.Theory.ValueTheory Theory = Respondents.Theory;
    private static readonly string[] Codes = Theory.Values.Select(v => v.Code).ToArray();

    private static JudgedResponse Answer(string question, string model, params string[] values) =>
        new(question, model, 0, new ParsedResponse("yes", [new Opinion("p", "j")]), [new HashSet<string>(values, StringComparer.Ordinal)]);

    [Fact]
    public void One_match_gives_the_difference_computed_by_hand_and_a_degenerate_interval()
    {
        // q1: a expresses security, b does not: one 1-vs-1 TrueSkill win. With the package's defaults (μ 25, σ 25/3,
        // β 25/6, τ 25/300, draw 0.1) the trueskill package gives a (29.396, 7.171) and b (20.604, 7.171). By hand:
        // a's score = 100 Φ(8.792 / √(2 β² + 2 · 7.171²)) = 100 Φ(8.792 / 11.7290) = 100 Φ(0.74960) = 77.325, b's is
        // 100 − 77.325, so b − a = 100 − 2 · 77.325 = −54.650. Every resample of one question is that question, so the
        // paired interval is the point itself.
        var matrix = ExpressionMatrix.Build([Answer("q1", "a", "security"), Answer("q1", "b")], Theory, ["a", "b"]);
        var (scores, differences) = new RelativeScoring().ScoreWithDifferences(
            matrix,
            new EvaluationConfig { Orderings = 1, Bootstrap = 20 },
            [new PlayerPair("a", "b")],
            CancellationToken.None
        );

        var d = differences.Single(x => x.Value == "security");
        Assert.Equal(("a", "b", 1), (d.From, d.To, d.N));
        Assert.Equal(-54.650, d.Difference, 2);
        Assert.Equal(d.Difference, d.CiLow!.Value, 9);
        Assert.Equal(d.Difference, d.CiHigh!.Value, 9);
        Assert.Equal(77.325, scores.Single(s => s is { Model: "a", Value: "security" }).Score, 2);
        // No match on the other values: both stay at 50, no difference.
        Assert.Equal(0, differences.Single(x => x.Value == "power").Difference, 9);
        Assert.Equal(Codes.Length, differences.Count);
    }

    [Fact]
    public void Differences_are_paired_two_players_who_answer_alike_differ_by_exactly_zero_in_every_resample()
    {
        // twin answers exactly like a on every question; others differ. Each of a's and twin's scores varies a lot
        // over the resamples, but both come from the same resamples, so their difference is 0 in every one of them.
        var rng = new Random(5);
        var responses = new List<JudgedResponse>();
        for (var q = 0; q < 60; q++)
        {
            var id = $"q{q:D3}";
            var a = rng.NextDouble() < 0.4;
            responses.Add(Answer(id, "a", a ? ["security"] : []));
            responses.Add(Answer(id, "twin", a ? ["security"] : []));
            responses.Add(Answer(id, "b", rng.NextDouble() < 0.6 ? ["security"] : []));
            responses.Add(Answer(id, "c", rng.NextDouble() < 0.2 ? ["security"] : []));
        }
        var matrix = ExpressionMatrix.Build(responses, Theory, ["a", "twin", "b", "c"]);
        var (scores, differences) = new RelativeScoring().ScoreWithDifferences(
            matrix,
            new EvaluationConfig { Bootstrap = 200 },
            [new PlayerPair("a", "twin"), new PlayerPair("a", "b")],
            CancellationToken.None
        );

        var twin = differences.Single(d => d is { To: "twin", Value: "security" });
        Assert.Equal((0.0, 0.0, 0.0), (twin.Difference, twin.CiLow!.Value, twin.CiHigh!.Value));
        var own = scores.Single(s => s is { Model: "a", Value: "security" });
        Assert.True(
            own.CiHigh - own.CiLow > 10,
            $"a's own interval [{own.CiLow}, {own.CiHigh}] should be wide; only the difference cancels"
        );
        // The difference is the difference of the two point scores.
        var b = differences.Single(d => d is { To: "b", Value: "security" });
        Assert.Equal(scores.Single(s => s is { Model: "b", Value: "security" }).Score - own.Score, b.Difference, 9);
        Assert.True(b.CiLow <= b.Difference && b.Difference <= b.CiHigh);
        Assert.Equal(60, b.N);
    }

    [Fact]
    public void A_planted_language_effect_is_recovered_and_an_unplanted_one_is_not()
    {
        // Three models answer 300 questions in en and zh. In zh, x also voices tradition on 45% of the questions where it
        // did not in en (its rate goes from 0.25 to about 0.59); y's zh answers are its en answers with 5% of the labels
        // flipped (a judge erring in another language); z's are unchanged.
        var rng = new Random(11);
        var responses = new List<JudgedResponse>();
        var rates = new Dictionary<string, double>
        {
            ["x"] = 0.25,
            ["y"] = 0.35,
            ["z@odd"] = 0.45,
        };
        for (var q = 0; q < 300; q++)
        {
            var id = $"q{q:D3}";
            foreach (var (model, rate) in rates)
            {
                var en = rng.NextDouble() < rate;
                var zh = model switch
                {
                    "x" => en || rng.NextDouble() < 0.45,
                    "y" => rng.NextDouble() < 0.05 ? !en : en,
                    _ => en,
                };
                responses.Add(Answer(id, model, en ? ["tradition"] : []) with { Language = "en" });
                responses.Add(Answer(id, model, zh ? ["tradition"] : []) with { Language = "zh" });
            }
        }
        var result = CrossLingualScoring.Score(
            responses,
            Theory,
            new EvaluationConfig { Bootstrap = 300, Seed = 3 },
            ["x", "y", "z@odd"],
            ["en", "zh"],
            CancellationToken.None
        );

        Assert.Equal(3 * 2 * Codes.Length, result.Scores.Count);
        Assert.Equal(
            ["x:en", "x:zh", "y:en", "y:zh", "z@odd:en", "z@odd:zh"],
            result.Scores.Select(s => $"{s.Model}:{s.Language}").Distinct()
        );
        Assert.Equal(3 * Codes.Length, result.Shifts.Count);
        Assert.All(result.Shifts, s => Assert.Equal(("en", "zh", 300), (s.LanguageA, s.LanguageB, s.N)));
        double Score(string model, string language) =>
            result.Scores.Single(s => s.Model == model && s.Language == language && s.Value == "tradition").Score;

        var x = result.Shifts.Single(s => s is { Model: "x", Value: "tradition" });
        Assert.Equal(Score("x", "zh") - Score("x", "en"), x.Shift, 9);
        Assert.True(x.Shift > 20 && x.CiLow > 0, $"planted: {x.Shift:F1} [{x.CiLow:F1}, {x.CiHigh:F1}]");
        Assert.True(x.ExcludesZero);
        foreach (var model in new[] { "y", "z@odd" })
        {
            var s = result.Shifts.Single(s => s.Model == model && s.Value == "tradition");
            Assert.True(s.CiLow <= 0 && 0 <= s.CiHigh, $"{model}: {s.Shift:F1} [{s.CiLow:F1}, {s.CiHigh:F1}] should contain 0");
            Assert.False(s.ExcludesZero);
        }
    }
}
