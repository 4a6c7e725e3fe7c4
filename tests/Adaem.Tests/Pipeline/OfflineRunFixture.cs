using System.Text.Json;
using Adaem.Core.Generation;
using Adaem.Tests.Support;

namespace Adaem.Tests.Pipeline;

/// <summary>
/// One uninterrupted `adaem run` of examples/offline.yaml (a fresh copy), shared by the pipeline tests:
/// its scores and ledger are the reference, and the same targets are then evaluated on as many raw
/// built-in seed questions as the run kept (run "seeds", same store).
/// </summary>
public sealed class OfflineRunFixture : IAsyncLifetime
{
    public const string Run = "main";
    public const string SeedRun = "seeds";

    /// <summary>The example as shipped (40 steps, 100 questions, 200 resamples): a run takes a few seconds.</summary>
    public OfflineCopy Copy { get; } = new();

    public CliResult Result { get; private set; } = new(-1, "", "");
    public string ScoresCsv { get; private set; } = "";
    public IReadOnlyList<LedgerCall> Calls { get; private set; } = [];
    public int QuestionCount { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Result = await Copy.RunCliAsync("run", "--quiet");
        if (Result.ExitCode != 0)
            throw new InvalidOperationException($"adaem run exited {Result.ExitCode}:\n{Result.All}");
        ScoresCsv = await File.ReadAllTextAsync(Copy.OutFile(Run, "scores.csv"));
        Calls = Copy.SuccessfulCalls(Run);
        QuestionCount = File.ReadLines(Copy.OutFile(Run, "questions.jsonl")).Count(l => l.Length > 0);

        var seeds = SeedSources.LoadBuiltin();
        if (QuestionCount > seeds.Count)
            throw new InvalidOperationException($"the run kept {QuestionCount} questions, more than the {seeds.Count} built-in seeds");
        // Evenly spaced over the file, so every topic category is in the sample as it is among the arms.
        var sample = Enumerable.Range(0, QuestionCount).Select(i => seeds[(int)((long)i * seeds.Count / QuestionCount)]);
        var file = Path.Combine(Copy.Directory, "seeds.jsonl");
        await File.WriteAllLinesAsync(file, sample.Select(s => JsonSerializer.Serialize(new { id = s.Id, question = s.Question })));
        var seedRun = await Copy.RunCliAsync("evaluate", "--questions", file, "--run", SeedRun, "--quiet");
        if (seedRun.ExitCode != 0)
            throw new InvalidOperationException($"adaem evaluate on seed questions exited {seedRun.ExitCode}:\n{seedRun.All}");
    }

    public ValueTask DisposeAsync()
    {
        Copy.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The test classes that share the one uninterrupted offline run (they run one after another, not beside each other).</summary>
[CollectionDefinition(Name)]
public sealed class SharedOfflineRun : ICollectionFixture<OfflineRunFixture>
{
    public const string Name = "offline run";
}
