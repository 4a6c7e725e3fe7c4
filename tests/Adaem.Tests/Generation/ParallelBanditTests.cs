using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Generation;

/// <summary>
/// The parallel bandit (generation.arms_per_round) on a scripted pool: with one arm per round the loop is the
/// sequential Algorithm 2 as it was before rounds existed (a golden record written by that code), and with
/// several arms a run is reproducible and resumable.
/// </summary>
public sealed class ParallelBanditTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-rounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IReadOnlyList<Seed> Seeds = SeedSources.LoadBuiltin();

    /// <summary>12 steps over 6 arms, so arms are played again and the UCB rule decides (not only the seed scores).</summary>
    private static readonly GenerationConfig Config = new()
    {
        Explorers = ["e1", "e2"],
        Scorers = ["e1", "e2", "s3"],
        Budget = 12,
        QuestionsPerStep = 3,
        FewShot = 5,
        MaxRefinements = 3,
        RefineThreshold = 0.5,
        DedupThreshold = 0.85,
        MaxArms = 6,
        Seed = 7,
    };

    /// <summary>Where the sequential loop's record lives (written by the pre-round code with ADAEM_WRITE_GOLDEN=1).</summary>
    private static string GoldenPath => Path.Combine(RepoPaths.Root, "tests", "Adaem.Tests", "Data", "sequential-loop.json");

    private AdaemStore Store(string name) => AdaemStore.Open(Path.Combine(_dir, name + ".db"));

    private static GenerationLoop NewLoop(IGenerationRecords store, GenerationConfig config, ScriptedJudging? judging = null) =>
        new(new GenerationSettings("main", config), new ScriptedPool("e1", "e2", "s3"), judging ?? new ScriptedJudging(), new LocalOpinionSimilarity(), store);

    /// <summary>Every stored step and question of the run, as indented JSON (doubles round-trip exactly).</summary>
    private static string Snapshot(AdaemStore store) => JsonSerializer.Serialize(new
    {
        Steps = store.LoadSteps("main"),
        Questions = store.LoadQuestions("main"),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n";

    [Fact]
    public async Task With_one_arm_per_round_the_loop_is_the_sequential_algorithm_2()
    {
        var store = Store("k1");
        await NewLoop(store, Config).RunAsync(Seeds, Ct);
        var actual = Snapshot(store);
        if (Environment.GetEnvironmentVariable("ADAEM_WRITE_GOLDEN") == "1") await File.WriteAllTextAsync(GoldenPath, actual, Ct);

        var golden = await File.ReadAllTextAsync(GoldenPath, Ct);
        // The chosen arm sequence first (the clearer message), then every record byte for byte.
        static IEnumerable<string> Arms(string json) =>
            JsonDocument.Parse(json).RootElement.GetProperty("Steps").EnumerateArray().Select(s => s.GetProperty("Arm").GetString()!);
        Assert.Equal(Arms(golden), Arms(actual));
        Assert.Equal(golden, actual);
    }
}
