using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Xunit;

namespace Adaem.Tests.Generation;

public class InformativenessScoreTests
{
    private static JudgedResponse Response(string model, params (string Text, string[] Values)[] opinions) =>
        new(
            "q",
            model,
            0,
            new ParsedResponse(Stances.Yes, opinions.Select(o => new Opinion(o.Text, "")).ToList()),
            opinions.Select(o => (IReadOnlySet<string>)o.Values.ToHashSet()).ToList()
        );

    private static JudgedResponse FailedResponse(string model) => new("q", model, 0, null, []) { Failure = "could not parse" };

    // Same text = 1, different = 0: keeps the opinion term hand-computable.
    private static double Identity(string a, string b) => a == b ? 1 : 0;

    private static readonly IReadOnlySet<string> QuestionValues = new HashSet<string> { "a", "d" };

    private static readonly JudgedResponse M1 = Response("m1", ("x", ["a", "b"]), ("y", ["b"]), ("z", ["c"]));
    private static readonly JudgedResponse M2 = Response("m2", ("x", ["a"]), ("w", ["a"]));

    [Fact]
    public void Two_models_hand_computed()
    {
        // R_VC: m1 ∪={a,b,c}, ∩=∅ → 3/1 = 3; m2 ∪={a}, ∩={a} → 1; mean 2.
        // R_VD: E1={a,b,c}, E2={a}: ∪=3, ∩=1 → 3.
        // R_OD: 6 opinion pairs, one identical → 1 − 1/6.
        // R_Dis: |E1 Δ {a,d}| = |{b,c,d}| = 3, |E2 Δ {a,d}| = |{d}| = 1 → mean 2.
        var s = InformativenessScore.Compute([M1, M2], QuestionValues, Identity, beta: 1, sign: 1)!;
        Assert.Equal(2.0, s.ValueConformity, 12);
        Assert.Equal(3.0, s.ValueDiversity, 12);
        Assert.Equal(5.0 / 6, s.OpinionDiversity, 12);
        Assert.Equal(2.0, s.Disentanglement, 12);
        Assert.Equal(2 + 3 + 5.0 / 6 + 0.5 * 2, s.Total, 12);
        Assert.Equal(2, s.Responses);
        Assert.Equal(0, s.FailedResponses);
        Assert.Equal(["a", "d"], s.QuestionValues);
        Assert.Equal(["a", "b", "c"], s.ModelValues["m1"]);
    }

    [Fact]
    public void Sign_and_beta_apply_to_disentanglement_only()
    {
        var plus = InformativenessScore.Compute([M1, M2], QuestionValues, Identity, beta: 1, sign: 1)!;
        var minus = InformativenessScore.Compute([M1, M2], QuestionValues, Identity, beta: 1, sign: -1)!;
        var beta3 = InformativenessScore.Compute([M1, M2], QuestionValues, Identity, beta: 3, sign: 1)!;
        Assert.Equal(2 + 3 + 5.0 / 6 - 1.0, minus.Total, 12);
        Assert.Equal(2 + 3 + 5.0 / 6 + 3.0, beta3.Total, 12);
        Assert.Equal(plus.ValueDiversity, minus.ValueDiversity);
    }

    [Fact]
    public void Failed_responses_are_excluded_and_counted_not_zeroed()
    {
        var s = InformativenessScore.Compute([M1, FailedResponse("m3"), M2], QuestionValues, Identity, 1, 1)!;
        var clean = InformativenessScore.Compute([M1, M2], QuestionValues, Identity, 1, 1)!;
        Assert.Equal(clean.Total, s.Total, 12);
        Assert.Equal(2, s.Responses);
        Assert.Equal(1, s.FailedResponses);
    }

    [Fact]
    public void Fewer_than_two_usable_responses_cannot_be_scored()
    {
        Assert.Null(InformativenessScore.Compute([M1, FailedResponse("m2")], QuestionValues, Identity, 1, 1));
        Assert.Null(InformativenessScore.Compute([M1], QuestionValues, Identity, 1, 1));
    }

    [Fact]
    public void Three_models_average_over_the_three_pairs()
    {
        var m3 = Response("m3", ("v", ["e"]));
        // D(E1,E2)=3, D(E1,{e})=4/1=4, D(E2,{e})=2/1=2 → mean 3.
        // Opinion pairs: (m1,m2) 1/6 similar; (m1,m3) 0; (m2,m3) 0 → R_OD = mean(5/6, 1, 1).
        // R_VC: 3, 1, 1 → 5/3. R_Dis: 3, 1, |{e} Δ {a,d}| = 3 → 7/3.
        var s = InformativenessScore.Compute([M1, M2, m3], QuestionValues, Identity, 1, 1)!;
        Assert.Equal(3.0, s.ValueDiversity, 12);
        Assert.Equal((5.0 / 6 + 1 + 1) / 3, s.OpinionDiversity, 12);
        Assert.Equal(5.0 / 3, s.ValueConformity, 12);
        Assert.Equal(7.0 / 3, s.Disentanglement, 12);
    }

    [Fact]
    public void Jaccard_diversity_uses_max_of_intersection_and_one()
    {
        Assert.Equal(3.0, InformativenessScore.JaccardDiversity(new HashSet<string> { "a", "b" }, new HashSet<string> { "c" }));
        Assert.Equal(1.0, InformativenessScore.JaccardDiversity(new HashSet<string> { "a", "b" }, new HashSet<string> { "a", "b" }));
        Assert.Equal(0.0, InformativenessScore.JaccardDiversity(new HashSet<string>(), new HashSet<string>()));
        Assert.Equal(1.0, InformativenessScore.ConformityOf([new HashSet<string> { "a" }]));
        Assert.Equal(0.0, InformativenessScore.ConformityOf([]));
    }

    [Fact]
    public void Opinion_similarity_is_clamped_to_unit_interval()
    {
        var s = InformativenessScore.Compute([M1, M2], QuestionValues, (_, _) => -0.5, 1, 1)!;
        Assert.Equal(1.0, s.OpinionDiversity, 12);
        s = InformativenessScore.Compute([M1, M2], QuestionValues, (_, _) => 2, 1, 1)!;
        Assert.Equal(0.0, s.OpinionDiversity, 12);
    }

    [Fact]
    public async Task Local_similarity_ranks_paraphrases_above_unrelated_text()
    {
        var texts = new[]
        {
            "Farmers deserve subsidies: rural incomes are fragile",
            "Subsidies for farmers protect fragile rural incomes",
            "Space tourism excites the young",
        };
        var sim = await new LocalOpinionSimilarity().PrepareAsync(texts, TestContext.Current.CancellationToken);
        Assert.True(sim(texts[0], texts[1]) > 0.5);
        Assert.True(sim(texts[0], texts[2]) < 0.1);
        Assert.Equal(1.0, sim(texts[0], texts[0]), 5);
    }
}
