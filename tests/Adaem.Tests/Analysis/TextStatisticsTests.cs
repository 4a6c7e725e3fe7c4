using Adaem.Core.Analysis;
using Xunit;

namespace Adaem.Tests.Analysis;

public class TextStatisticsTests
{
    private static string[] T(string s) => WordTokens.Of(s);

    [Fact]
    public void Tokens_are_lowercase_words_without_punctuation()
    {
        Assert.Equal(["should", "paris", "ban", "cars", "don't", "2030"], T("Should Paris ban cars? Don't! (2030)"));
    }

    [Fact]
    public void Sentence_bleu_matches_hand_computation()
    {
        // p1 = 5/6, p2 = 3/5, p3 = 2/4, p4 = 1/3, equal lengths → BLEU = (5/6·3/5·2/4·1/3)^(1/4) = 0.537285
        var bleu = Bleu.Sentence(T("the cat sat on the mat"), [T("the cat sat on a mat")]);
        Assert.Equal(Math.Pow(5.0 / 6 * 3 / 5 * 2 / 4 * 1 / 3, 0.25), bleu, 10);
        Assert.Equal(0.5372850, bleu, 6);
    }

    [Fact]
    public void Sentence_bleu_smooths_missing_orders_and_penalises_brevity()
    {
        // p4 has no match: 0.1/1 instead of 0 → (3/4·2/3·1/2·0.1)^(1/4)
        Assert.Equal(Math.Pow(0.75 * (2.0 / 3) * 0.5 * 0.1, 0.25), Bleu.Sentence(T("a b c d"), [T("a b c e")]), 10);
        // A 2-word hypothesis against a 4-word reference: BP = exp(1 − 4/2); p1 = 1, p2 = 1, p3, p4 smoothed 0.1/1.
        Assert.Equal(Math.Exp(1 - 2.0) * Math.Pow(1 * 1 * 0.1 * 0.1, 0.25), Bleu.Sentence(T("a b"), [T("a b c d")]), 10);
    }

    [Fact]
    public void Self_bleu_equals_the_naive_leave_one_out_loop()
    {
        var rng = new Random(5);
        var words = new[] { "should", "cities", "ban", "cars", "fund", "art", "schools", "the", "a", "in", "tax", "sugar", "on" };
        var sentences = Enumerable
            .Range(0, 40)
            .Select(_ => (IReadOnlyList<string>)Enumerable.Range(0, rng.Next(3, 12)).Select(_ => words[rng.Next(words.Length)]).ToArray())
            .ToList();
        var naive = sentences.Select((s, i) => Bleu.Sentence(s, sentences.Where((_, j) => j != i).ToList())).Average();
        Assert.Equal(naive, SelfBleu.Compute(sentences, TestContext.Current.CancellationToken), 12);
    }

    [Fact]
    public void Self_bleu_is_high_for_repetitive_sets_and_low_for_varied_ones()
    {
        var repetitive = Enumerable
            .Range(0, 20)
            .Select(i => (IReadOnlyList<string>)T($"should the city ban cars in district {i}"))
            .ToList();
        var varied = new[]
        {
            "should payday loans be banned",
            "is nuclear power worth its waste",
            "do zoos protect endangered animals",
            "must voting be compulsory for adults",
            "can art criticism ever be objective",
            "will remote work empty city centres",
        }
            .Select(s => (IReadOnlyList<string>)T(s))
            .ToList();
        Assert.True(SelfBleu.Compute(repetitive, TestContext.Current.CancellationToken) > 0.7);
        Assert.True(SelfBleu.Compute(varied, TestContext.Current.CancellationToken) < 0.2);
    }

    [Fact]
    public void Distinct_2_counts_distinct_bigrams_over_all_bigrams()
    {
        // bigrams: (a b), (b c), (a b), (b d) → 3 distinct of 4
        Assert.Equal(0.75, TextStatistics.Distinct([T("a b c"), T("a b d")], 2), 12);
    }

    [Fact]
    public void Mean_pairwise_tfidf_similarity_equals_the_pair_loop()
    {
        var docs = new[]
        {
            "should cities ban cars",
            "should cities fund art",
            "is sugar tax fair",
            "ban sugar in schools",
            "",
            "cars cars cars",
        }
            .Select(s => (IReadOnlyList<string>)T(s))
            .ToList();
        var sim = new TfIdfSimilarity(docs);
        var pairs = new List<double>();
        for (var i = 0; i < docs.Count; i++)
        for (var j = i + 1; j < docs.Count; j++)
            pairs.Add(sim.Cosine(i, j));
        Assert.Equal(pairs.Average(), sim.MeanPairwise(), 12);
        Assert.Equal(1.0, new TfIdfSimilarity([T("same words here"), T("same words here")]).MeanPairwise(), 12);
    }

    [Fact]
    public void Benchmark_statistics_summarise_a_question_set()
    {
        var s = TextStatistics.Compute(
            ["Should A ban cars?", "Should B fund art now?", "Is C fair?"],
            ["Tech", "Arts", "Tech"],
            TestContext.Current.CancellationToken
        );
        Assert.Equal(3, s.Count);
        Assert.Equal((4 + 5 + 3) / 3.0, s.AverageWords, 12);
        Assert.Equal("Tech", s.Categories[0].Category);
        Assert.Equal(2, s.Categories[0].Count);
        Assert.Equal(0, s.Uncategorised);
        // entropy of (2/3, 1/3) / ln 2
        Assert.Equal(-(2.0 / 3 * Math.Log(2.0 / 3) + 1.0 / 3 * Math.Log(1.0 / 3)) / Math.Log(2), s.CategoryEvenness, 12);
        Assert.Equal(1.0, TextStatistics.Evenness([5, 5]), 12);
    }
}
