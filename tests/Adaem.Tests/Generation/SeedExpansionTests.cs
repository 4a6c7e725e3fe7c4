using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Support;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Generation;

/// <summary>Seed expansion end to end: simulated expander through the call engine, real SQLite store.</summary>
public sealed class SeedExpansionTests : IDisposable
{
    private const string Yaml = """
        store: adaem.db
        models:
          gen-a: { provider: simulated, seed: 11, profile: { tradition: 0.8, security: 0.7 } }
          gen-b: { provider: simulated, seed: 12, profile: { self_direction: 0.8, achievement: 0.7 } }
          judge: { provider: simulated, seed: 99 }
        judge: { model: judge }
        generation:
          explorers: [gen-a, gen-b]
          scorers: [gen-a, gen-b]
          expand_seeds: 20
        """;

    private readonly TempDir _dir = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly IReadOnlyList<Seed> Builtin = SeedSources.LoadBuiltin();

    public void Dispose() => _dir.Dispose();

    private (AdaemConfig Config, AdaemStore Store) Open(string name)
    {
        var config = ConfigLoader.Load(_dir.Write(name + "/adaem.yaml", Yaml));
        return (config, AdaemStore.Open(config.StorePath));
    }

    private static ModelPool Pool(AdaemConfig config, AdaemStore store) =>
        new(config, store, TheoryLoader.Load("schwartz10", config.Directory), PriceList.Empty);

    private static SeedExpansion Expansion(IChatClient client, IGenerationRecords records) =>
        new(client, "gen-a", records, "main", GenerationSettings.Stage, k => new DedupIndex(k), 0.85);

    [Fact]
    public async Task Adds_the_requested_number_of_new_distinct_seeds_in_proportion_and_stores_them()
    {
        var (config, store) = Open("a");
        using var pool = Pool(config, store);

        var result = await Expansion(pool.Chat("gen-a"), store).ExpandAsync(Builtin, 20, Ct);

        Assert.Equal(20, result.Added.Count);
        Assert.Equal(20, result.Added.Select(s => s.Id).Distinct().Count());
        var existing = Builtin.Select(s => NgramVectorizer.Normalize(s.Question)).ToHashSet();
        Assert.Equal(20, result.Added.Select(s => NgramVectorizer.Normalize(s.Question)).Distinct().Count());
        Assert.All(result.Added, s => Assert.DoesNotContain(NgramVectorizer.Normalize(s.Question), existing));
        Assert.All(
            result.Added,
            s =>
            {
                Assert.EndsWith("?", s.Question);
                Assert.False(string.IsNullOrEmpty(s.Argument));
                Assert.Equal("expanded:gen-a", s.Source);
                Assert.Contains(s.Category, SeedCategories.All);
            }
        );
        // 180 built-in seeds, 20 in each of nine categories: 20 new ones are 2 or 3 per category.
        Assert.All(result.Added.GroupBy(s => s.Category), g => Assert.InRange(g.Count(), 2, 3));
        Assert.Equal(9, result.Added.Select(s => s.Category).Distinct().Count());

        Assert.Equal(
            result.Added.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => (s.Id, s.Question)),
            store.LoadExpandedSeeds("main").Select(s => (s.Id, s.Question))
        );
        Assert.Empty(store.LoadArms("main")); // stored, but not arms until the run chooses them
        Assert.Equal(result.Asks, store.CountCalls());
    }

    [Fact]
    public async Task A_rerun_reuses_the_stored_seeds_and_asks_nothing()
    {
        var (config, store) = Open("b");
        using var pool = Pool(config, store);
        var first = await Expansion(pool.Chat("gen-a"), store).ExpandAsync(Builtin, 20, Ct);
        var calls = store.CountCalls();

        var counting = new CountingClient(pool.Chat("gen-a"));
        var again = await Expansion(counting, store).ExpandAsync(Builtin, 20, Ct);

        Assert.Equal(0, counting.Calls);
        Assert.Equal(0, again.Asks);
        Assert.Equal(calls, store.CountCalls());
        Assert.Equal(first.Added.Select(s => (s.Id, s.Question)), again.Added.Select(s => (s.Id, s.Question)));
    }

    [Fact]
    public async Task An_interrupted_expansion_resumes_to_the_same_seeds_without_repeating_calls()
    {
        var (config, store) = Open("whole");
        using var pool = Pool(config, store);
        var whole = await Expansion(pool.Chat("gen-a"), store).ExpandAsync(Builtin, 20, Ct);

        var (config2, store2) = Open("cut");
        using var pool2 = Pool(config2, store2);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var cutting = new CancelAfterSaves(store2, saves: 3, cts);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Expansion(pool2.Chat("gen-a"), cutting).ExpandAsync(Builtin, 20, cts.Token)
        );
        var partial = store2.LoadExpandedSeeds("main");
        Assert.InRange(partial.Count, 1, 19);

        var resumed = await Expansion(pool2.Chat("gen-a"), store2).ExpandAsync(Builtin, 20, Ct);

        Assert.Equal(whole.Added.Select(s => (s.Id, s.Question)), resumed.Added.Select(s => (s.Id, s.Question)));
        Assert.Equal(store.CountCalls(), store2.CountCalls()); // the replayed asks were answered by the cache
    }

    [Fact]
    public async Task Proposals_repeating_a_seed_or_each_other_are_dropped()
    {
        var (_, store) = Open("d");
        var existing = Builtin.First(s => s.Category == SeedCategories.EconomicsBusiness);
        // Every ask returns: an existing seed's question (other case and punctuation), a new issue, and the new issue again.
        var reply =
            $"1. [Argument]: x [Question]: {existing.Question.ToUpperInvariant().TrimEnd('?')}\n"
            + "2. [Argument]: Lighthouses should be automated [Question]: Should lighthouses be automated?\n"
            + "3. [Argument]: Lighthouse keepers should be replaced by machines [Question]: Should lighthouses be automated??";
        var client = new FixedClient(reply);
        var seeds = Builtin.Where(s => s.Category == SeedCategories.EconomicsBusiness).ToList();

        var result = await Expansion(client, store).ExpandAsync(seeds, 3, Ct);

        Assert.Equal(["Should lighthouses be automated?"], result.Added.Select(s => s.Question));
        Assert.True(result.Duplicates >= 1);
        Assert.Equal(1 + SeedExpansion.ExtraAsks, result.Asks); // it kept asking for the missing two, up to its limit
        Assert.Equal(PromptRoles.SeedExpand, client.Roles.Distinct().Single());
    }

    [Fact]
    public async Task The_loop_adds_expanded_seeds_to_the_pool_of_arms_once()
    {
        var (config, store) = Open("loop");
        using var pool = Pool(config, store);
        var settings = new GenerationSettings("main", config.Generation with { MaxArms = null }) { Budget = 0 };
        var seeds = Builtin.Where(s => s.Category is SeedCategories.EconomicsBusiness or SeedCategories.EducationMedia).ToList();

        await new GenerationLoop(
            settings with
            {
                Config = settings.Config with { ExpandSeeds = 6 },
            },
            pool,
            new ScriptedJudging(),
            new LocalOpinionSimilarity(),
            store
        ).RunAsync(seeds, Ct);
        var arms = store.LoadArms("main");
        var calls = store.CountCalls();
        await new GenerationLoop(
            settings with
            {
                Config = settings.Config with { ExpandSeeds = 6 },
            },
            pool,
            new ScriptedJudging(),
            new LocalOpinionSimilarity(),
            store
        ).RunAsync(seeds, Ct);

        Assert.Equal(seeds.Count + 6, arms.Count);
        Assert.Equal(6, arms.Count(a => a.Source == "expanded:gen-a"));
        Assert.Equal(calls, store.CountCalls());
        Assert.Equal(arms.Select(a => a.Id), store.LoadArms("main").Select(a => a.Id));
        Assert.Equal(seeds.Count + 6, store.CountSeeds("main"));
    }

    /// <summary>Forwards to the store and cancels the run after a number of expansion saves (a kill mid-expansion).</summary>
    private sealed class CancelAfterSaves(AdaemStore store, int saves, CancellationTokenSource cts) : IGenerationRecords
    {
        private int _saves;

        public IReadOnlyList<Seed> LoadArms(string run) => store.LoadArms(run);

        public void SaveArms(string run, IReadOnlyList<Seed> arms) => store.SaveArms(run, arms);

        public IReadOnlyList<Seed> LoadExpandedSeeds(string run) => store.LoadExpandedSeeds(run);

        public void SaveExpandedSeeds(string run, IReadOnlyList<Seed> seeds)
        {
            store.SaveExpandedSeeds(run, seeds);
            if (++_saves == saves)
                cts.Cancel();
        }

        public IReadOnlyList<QuestionRecord> LoadQuestions(string run) => store.LoadQuestions(run);

        public void SaveQuestions(string run, IReadOnlyList<QuestionRecord> questions) => store.SaveQuestions(run, questions);

        public IReadOnlyList<BanditStepRecord> LoadSteps(string run) => store.LoadSteps(run);

        public void SaveStep(string run, BanditStepRecord step, IReadOnlyList<QuestionRecord> questions) =>
            store.SaveStep(run, step, questions);

        public void SaveRound(string run, IReadOnlyList<(BanditStepRecord Step, IReadOnlyList<QuestionRecord> Questions)> steps) =>
            store.SaveRound(run, steps);
    }

    private sealed class CountingClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public override Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            Interlocked.Increment(ref _calls);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }

    private sealed class FixedClient(string reply) : IChatClient
    {
        public List<string> Roles { get; } = [];

        public Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            Roles.Add(CallContext.From(options)?.PromptRole ?? "");
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
