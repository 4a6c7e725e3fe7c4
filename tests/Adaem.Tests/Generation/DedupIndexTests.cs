using Adaem.Core.Generation;
using Xunit;

namespace Adaem.Tests.Generation;

public class DedupIndexTests
{
    [Fact]
    public void Empty_index_finds_nothing()
    {
        var r = new DedupIndex().Check("Should gambling be legalised?");
        Assert.Equal(0, r.MeanTopK);
        Assert.Empty(r.Nearest);
        Assert.False(r.IsDuplicate(0.85));
    }

    [Fact]
    public void Same_text_up_to_case_and_punctuation_is_an_exact_duplicate()
    {
        var index = new DedupIndex();
        index.Add("a", "Should gambling be legalised?");
        var r = index.Check("should GAMBLING be legalised");
        Assert.Equal("a", r.ExactDuplicateOf);
        Assert.True(r.IsDuplicate(0.99));
    }

    [Fact]
    public void Mean_of_top_k_decides_not_the_single_nearest()
    {
        var index = new DedupIndex(topK: 3);
        index.Add("same", "Should online gambling be legalised in Brazil?");
        index.Add("x", "Should cities ban cars from their centres?");
        index.Add("y", "Is homeschooling better than public schooling?");
        // One near-identical neighbour and two unrelated ones: the mean stays low (the paper's rule).
        var r = index.Check("Should online gambling be legalized in Brazil?");
        Assert.Equal("same", r.Nearest[0]);
        Assert.True(r.MeanTopK < 0.85, $"mean {r.MeanTopK}");
        Assert.False(r.IsDuplicate(0.85));

        index.Add("same2", "Should online gambling be legalised in Brazil now?");
        index.Add("same3", "In Brazil, should online gambling be legalised?");
        var r2 = index.Check("Should online gambling be legalised in Brazil today?");
        Assert.True(r2.MeanTopK > 0.85, $"mean {r2.MeanTopK}");
        Assert.True(r2.IsDuplicate(0.85));
        Assert.Equal(3, r2.Nearest.Count);
    }

    [Fact]
    public void Fewer_stored_than_k_averages_over_those_stored()
    {
        var index = new DedupIndex(topK: 3);
        index.Add("a", "Should whaling be banned worldwide?");
        var r = index.Check("Should whaling be banned worldwide?");
        Assert.Equal(1.0, r.MeanTopK, 4);
    }

    [Fact]
    public void Index_agrees_with_brute_force_cosine()
    {
        var rng = new Random(5);
        var texts = Enumerable.Range(0, 400).Select(_ => Sentence(rng)).ToList();
        var index = new DedupIndex(topK: 3);
        for (var i = 0; i < texts.Count; i++)
            index.Add($"d{i}", texts[i]);
        var vectors = texts.Select(NgramVectorizer.Vectorize).ToList();
        for (var t = 0; t < 30; t++)
        {
            var query = Sentence(rng);
            var qv = NgramVectorizer.Vectorize(query);
            var expected = vectors.Select(v => v.Dot(qv)).OrderByDescending(x => x).Take(3).Average();
            Assert.Equal(expected, index.Check(query).MeanTopK, 5);
        }
    }

    [Fact]
    public void Vectors_do_not_depend_on_what_else_is_stored()
    {
        var a = NgramVectorizer.Vectorize("Should the voting age be lowered to sixteen?");
        var b = NgramVectorizer.Vectorize("Should the voting age be lowered to sixteen?");
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(1.0, a.Dot(b), 5);
        // Framing words alone carry no similarity.
        Assert.Equal(0.0, NgramVectorizer.Vectorize("Should it be?").Dot(NgramVectorizer.Vectorize("Should they be allowed?")), 5);
    }

    internal static string Sentence(Random rng)
    {
        var words = StableHash.Words;
        return $"Should {words[rng.Next(words.Length)]} support {words[rng.Next(words.Length)]} in {words[rng.Next(words.Length)]} towns?";
    }
}
