using System.Globalization;
using Adaem.Core.Generation;
using Adaem.Tests.Providers;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Generation;

/// <summary>
/// Dedup on the hand-written paraphrase set: each pair is checked the way the loop checks a candidate
/// (the first question stored in a fresh index, the second checked against it), once with the hashed
/// n-gram index and once with the built-in sentence encoder. Prints precision and recall at the paper's
/// 0.85, at each backend's default, on a grid and at the F1-best threshold (run with -showLiveOutput);
/// asserts properties and the rule that picks the defaults, never the measured numbers.
/// </summary>
public sealed class ParaphraseSetTests(MiniLmFixture mini) : IClassFixture<MiniLmFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IReadOnlyList<QuestionPair> Pairs = ParaphraseSet.Load();

    private static List<(QuestionPair, double)> Ngram() =>
        Pairs
            .Select(p =>
            {
                var index = new DedupIndex(topK: 3);
                index.Add("a", p.A);
                return (p, index.Check(p.B).MeanTopK);
            })
            .ToList();

    private async Task<List<(QuestionPair, double)>> EncoderAsync()
    {
        // One batch for every text, as a run's start embeds its existing questions; then each pair as the loop checks it.
        var texts = Pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().ToList();
        var cached = new CachedGenerator(mini.Generator);
        await cached.WarmAsync(texts, Ct);
        var scored = new List<(QuestionPair, double)>();
        foreach (var p in Pairs)
        {
            var index = new EmbeddingDedupIndex(cached, topK: 3);
            await index.AddAsync([("a", p.A)], Ct);
            scored.Add((p, (await index.CheckAsync(p.B, Ct)).MeanTopK));
        }
        return scored;
    }

    [Fact]
    public void The_set_has_enough_pairs_of_every_kind_and_no_repeats()
    {
        Assert.True(Pairs.Count >= 60, $"{Pairs.Count} pairs");
        foreach (var kind in new[] { QuestionPair.Paraphrase, QuestionPair.Related, QuestionPair.Narrower, QuestionPair.Unrelated })
            Assert.True(Pairs.Count(p => p.Kind == kind) >= (kind == QuestionPair.Narrower ? 15 : 20), kind);
        Assert.Equal(Pairs.Count, Pairs.Select(p => (p.A, p.B)).Distinct().Count());
        Assert.All(Pairs, p => Assert.NotEqual(p.A, p.B));
        Assert.All(Pairs, p => Assert.EndsWith("?", p.B));
    }

    [Fact]
    public async Task The_encoder_finds_rewordings_the_ngram_index_misses_and_each_default_follows_the_rule()
    {
        var ngram = Ngram();
        var encoder = await EncoderAsync();
        var output = TestContext.Current.TestOutputHelper!;
        Report("n-gram (DedupIndex)", ngram, DedupThresholds.Ngram);
        Report("all-MiniLM-L6-v2 (local)", encoder, DedupThresholds.MiniLm);

        var ngramDefault = ParaphraseSet.At(ngram, DedupThresholds.Ngram);
        var encoderDefault = ParaphraseSet.At(encoder, DedupThresholds.MiniLm);

        // Each default follows the rule of C4: the lowest grid threshold dropping at most a fifth of the narrower pairs and no related or
        // unrelated one.
        Assert.Equal(DedupThresholds.Ngram, ParaphraseSet.RuleThreshold(ngram), 6);
        Assert.Equal(DedupThresholds.MiniLm, ParaphraseSet.RuleThreshold(encoder), 6);

        // At its default the encoder catches rewordings the n-gram cosine never sees, and drops no more new questions.
        Assert.True(encoderDefault.Recall >= ngramDefault.Recall + 0.2, $"encoder {encoderDefault}; n-gram {ngramDefault}");
        Assert.True(encoderDefault.FalsePositives <= ngramDefault.FalsePositives, $"encoder {encoderDefault}; n-gram {ngramDefault}");
        Assert.True(ParaphraseSet.BestF1(encoder).Best.F1 > ParaphraseSet.BestF1(ngram).Best.F1 + 0.1);
        // The encoder ranks a rewording above a different question on a close topic; the n-gram cosine does not.
        var encoderAuc = ParaphraseSet.Separation(encoder, QuestionPair.Related);
        Assert.True(encoderAuc >= 0.9 && encoderAuc > ParaphraseSet.Separation(ngram, QuestionPair.Related) + 0.1, $"{encoderAuc}");

        // Questions on different topics are never dropped by either default.
        Assert.All(
            encoder.Where(s => s.Item1.Kind == QuestionPair.Unrelated),
            s => Assert.True(s.Item2 < DedupThresholds.MiniLm, $"{s.Item2}: {s.Item1}")
        );
        Assert.All(
            ngram.Where(s => s.Item1.Kind == QuestionPair.Unrelated),
            s => Assert.True(s.Item2 < DedupThresholds.Ngram, $"{s.Item2}: {s.Item1}")
        );

        void Report(string name, List<(QuestionPair, double)> scored, double defaultThreshold)
        {
            var (best, low, high) = ParaphraseSet.BestF1(scored);
            output.WriteLine($"{name}, {Pairs.Count} pairs:");
            foreach (var kind in new[] { QuestionPair.Paraphrase, QuestionPair.Related, QuestionPair.Narrower, QuestionPair.Unrelated })
            {
                var s = scored.Where(x => x.Item1.Kind == kind).Select(x => x.Item2).Order().ToList();
                output.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {kind, -10} n={s.Count, 2} similarity min {s[0]:0.000} median {s[s.Count / 2]:0.000} max {s[^1]:0.000}"
                    )
                );
            }
            output.WriteLine($"  at the paper's 0.85: {ParaphraseSet.At(scored, DedupThresholds.Paper)}");
            output.WriteLine($"  at the default:      {ParaphraseSet.At(scored, defaultThreshold)}");
            output.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"  best F1:             {best} (any threshold in [{low:0.000}, {high:0.000}) decides the same)"
                )
            );
            for (var t = 0.40; t < 0.96; t += 0.05)
            {
                var at = Math.Round(t, 2);
                var dropped = string.Join(
                    ", ",
                    new[] { QuestionPair.Related, QuestionPair.Narrower, QuestionPair.Unrelated }.Select(k =>
                        $"{k} {scored.Count(x => x.Item1.Kind == k && x.Item2 > at)}/{scored.Count(x => x.Item1.Kind == k)}"
                    )
                );
                output.WriteLine($"    {ParaphraseSet.At(scored, at)} ({dropped})");
            }
            output.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"  rule of C4 (at most {DedupThresholds.MaxNarrowerDropped:0%} of narrower pairs dropped, no related or unrelated): {ParaphraseSet.RuleThreshold(scored):0.00}; paraphrase-vs-related AUC {ParaphraseSet.Separation(scored, QuestionPair.Related):0.000}"
                )
            );
        }
    }
}

/// <summary>Encodes a set of texts in one batch up front and serves their vectors from memory afterwards.</summary>
internal sealed class CachedGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly Dictionary<string, Embedding<float>> _vectors = new(StringComparer.Ordinal);

    public async Task WarmAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var generated = await base.GenerateAsync(texts, null, cancellationToken);
        for (var i = 0; i < texts.Count; i++)
            _vectors[texts[i]] = generated[i];
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var texts = values.ToList();
        var missing = texts.Where(t => !_vectors.ContainsKey(t)).Distinct().ToList();
        if (missing.Count > 0)
            await WarmAsync(missing, cancellationToken);
        return new(texts.Select(t => _vectors[t]));
    }
}
