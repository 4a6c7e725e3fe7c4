using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Storage;
using Adaem.Tests.Providers;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Generation;

public sealed class EmbeddingDedupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-embdedup-").FullName;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Uses_the_model_cosine_with_the_top_k_mean()
    {
        // A "semantic" model: questions about the same topic word get the same direction, whatever their wording.
        var model = new TopicEmbeddings("gambling", "whaling", "tariffs", "zoos");
        var index = new EmbeddingDedupIndex(model, topK: 2);
        await index.AddAsync(
            [("a", "Should gambling be legal?"), ("b", "Is gambling acceptable for adults?"), ("c", "Should whaling be banned?")],
            Ct
        );

        var paraphrase = await index.CheckAsync("Ought casinos and gambling to be permitted?", Ct);
        var other = await index.CheckAsync("Should tariffs on steel rise?", Ct);
        var half = await index.CheckAsync("Should whaling and zoos be banned?", Ct);

        Assert.Equal(1.0, paraphrase.MeanTopK, 6);
        Assert.True(paraphrase.IsDuplicate(0.85));
        Assert.Equal(["a", "b"], paraphrase.Nearest.Order());
        Assert.Equal(0.0, other.MeanTopK, 6);
        Assert.False(other.IsDuplicate(0.85));
        // cos 0.707 to one neighbour, 0 to the next: mean of the top 2 is 0.354.
        Assert.Equal(Math.Sqrt(0.5) / 2, half.MeanTopK, 6);
        Assert.Equal("c", half.Nearest[0]);
        // The local n-gram index would not see the paraphrase (different content words).
        var local = new DedupIndex(topK: 2);
        local.Add("a", "Should gambling be legal?");
        local.Add("b", "Is gambling acceptable for adults?");
        Assert.False(local.Check("Ought casinos and gambling to be permitted?").IsDuplicate(0.85));
    }

    [Fact]
    public async Task Exact_text_is_a_duplicate_and_a_checked_text_is_not_embedded_again_when_added()
    {
        var model = new TopicEmbeddings("gambling", "whaling");
        var index = new EmbeddingDedupIndex(model, topK: 3);
        await index.AddAsync([("a", "Should gambling be legal?")], Ct);
        var r = await index.CheckAsync("should GAMBLING be legal", Ct);
        Assert.Equal("a", r.ExactDuplicateOf);

        var before = model.Texts;
        await index.CheckAsync("Should whaling be banned?", Ct);
        await index.AddAsync([("b", "Should whaling be banned?")], Ct);
        Assert.Equal(before + 1, model.Texts);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public async Task The_loop_drops_candidates_the_embedding_model_calls_duplicates()
    {
        var config = new GenerationConfig
        {
            Explorers = ["e1", "e2"],
            Scorers = ["e1", "e2", "s3"],
            Budget = 3,
            MaxArms = 4,
            Seed = 7,
        };
        var seeds = SeedSources.LoadBuiltin();

        async Task<IReadOnlyList<QuestionRecord>> RunAsync(string name, IEmbeddingGenerator<string, Embedding<float>>? embeddings)
        {
            var store = AdaemStore.Open(Path.Combine(_dir, name + ".db"));
            var loop = new GenerationLoop(
                new GenerationSettings("main", config),
                new ScriptedPool("e1", "e2", "s3"),
                new ScriptedJudging(),
                new LocalOpinionSimilarity(),
                store,
                dedupEmbeddings: embeddings
            );
            await loop.RunAsync(seeds, Ct);
            return store.LoadQuestions("main").Where(q => q.Step is not null && q.Depth == 0).ToList();
        }

        var local = await RunAsync("local", null);
        // A model for which every question means the same thing: every explored question is a near duplicate of a seed.
        var same = new TopicEmbeddings();
        var embedded = await RunAsync("embedded", same);

        Assert.DoesNotContain(local, q => q.Reason?.StartsWith(DropReasons.NearDuplicate, StringComparison.Ordinal) == true);
        Assert.Equal(9, embedded.Count);
        Assert.All(
            embedded,
            q =>
            {
                Assert.Equal(QuestionStatus.Dropped, q.Status);
                Assert.StartsWith(DropReasons.NearDuplicate + ": mean similarity 1.000", q.Reason);
            }
        );
        Assert.True(same.Texts > 0);
    }

    [Fact]
    public async Task Vectors_come_through_the_engine_cache_so_a_rebuilt_index_embeds_nothing_new()
    {
        await using var h = await EngineHarness.StartAsync();
        var questions = new[] { ("q1", "Should gambling be legal?"), ("q2", "Should whaling be banned?"), ("q3", "Should zoos close?") };

        var first = new EmbeddingDedupIndex(h.Pool.Embeddings("stub")!, topK: 3, run: "r1", stage: "generate");
        await first.AddAsync(questions, Ct);
        var hit = await first.CheckAsync("Should whaling be banned?", Ct);
        var requests = h.Stub.Count;

        var rebuilt = new EmbeddingDedupIndex(h.NewPool().Embeddings("stub")!, topK: 3, run: "r1", stage: "generate");
        await rebuilt.AddAsync(questions, Ct);
        var again = await rebuilt.CheckAsync("Should whaling be banned?", Ct);

        Assert.Equal("q2", hit.ExactDuplicateOf);
        Assert.Equal("q2", hit.Nearest[0]);
        Assert.Equal(hit.MeanTopK, again.MeanTopK);
        Assert.Equal("q2", again.ExactDuplicateOf);
        Assert.Equal(hit.Nearest, again.Nearest);
        Assert.Equal(requests, h.Stub.Count);
        Assert.Equal(1, requests); // one batch of three texts; the check of a stored text was served from the cache
        Assert.All(h.Rows(), r => Assert.Equal("generate", r.Stage));
    }

    /// <summary>
    /// One dimension per topic word: a text's vector counts the topic words it contains (a text without
    /// any points along an extra dimension), so wording does not matter, only topics do.
    /// </summary>
    private sealed class TopicEmbeddings(params string[] topics) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private int _texts;
        public int Texts => Volatile.Read(ref _texts);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var text in values)
            {
                Interlocked.Increment(ref _texts);
                var v = new float[topics.Length + 1];
                for (var i = 0; i < topics.Length; i++)
                    v[i] = text.Contains(topics[i], StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                if (v.All(x => x == 0))
                    v[^1] = 1;
                result.Add(new Embedding<float>(v));
            }
            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
