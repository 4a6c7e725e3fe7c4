using System.Diagnostics;
using System.Text.Json;
using Adaem.Core.Errors;
using Adaem.Core.Generation;
using Adaem.Pipeline;
using Adaem.RunFiles;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Generation;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-gencli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string generation)
    {
        var path = Path.Combine(_dir, "adaem.yaml");
        File.WriteAllText(
            path,
            $"""
            store: adaem.db
            models:
              e1: {"{"} provider: simulated {"}"}
              e2: {"{"} provider: simulated {"}"}
              s3: {"{"} provider: simulated {"}"}
              j:  {"{"} provider: simulated {"}"}
            judge: {"{"} model: j {"}"}
            generation:
            {generation}
            evaluation: {"{"} targets: [s3] {"}"}
            """
        );
        return path;
    }

    private const string Generation = """
          explorers: [e1, e2]
          scorers: [e1, e2, s3]
          budget: 3
          max_arms: 4
          select_top: 5
          seed: 3
        """;

    /// <summary>The study's events: warnings, and the items finished in the bandit-steps phase.</summary>
    private sealed class Recorder : IProgress<StageEvent>
    {
        private string? _phase;
        public List<string> Warnings { get; } = [];
        public int Steps { get; private set; }

        public void Report(StageEvent value)
        {
            switch (value)
            {
                case PhaseStarted p:
                    _phase = p.Phase;
                    break;
                case PhaseAdvanced when _phase == "bandit steps":
                    Steps++;
                    break;
                case StageWarning w:
                    Warnings.Add(w.Message);
                    break;
            }
        }
    }

    /// <summary>A study on scripted models, as a notebook or another harness would supply its own.</summary>
    private sealed class ScriptedStudies
    {
        public List<ScriptedPool> Pools { get; } = [];

        public async Task<GenerateResult> GenerateAsync(
            string config,
            string? run,
            int? budget,
            string? outDir,
            IProgress<StageEvent> progress
        )
        {
            using var study = Study.Open(
                config,
                new StudyOptions
                {
                    Run = run,
                    OutDirectory = outDir,
                    Models = (_, _, _) =>
                    {
                        var p = new ScriptedPool("e1", "e2", "s3", "j");
                        Pools.Add(p);
                        return p;
                    },
                    GenerationJudging = (_, _, _, _, judge, opinions) =>
                    {
                        Assert.Equal(("j", 3), (judge, opinions));
                        return new ScriptedJudging();
                    },
                }
            );
            return await study.GenerateAsync(new GenerateOptions(budget), progress, TestContext.Current.CancellationToken);
        }
    }

    private static (ScriptedStudies Stage, List<ScriptedPool> Pools) ScriptedStage()
    {
        var studies = new ScriptedStudies();
        return (studies, studies.Pools);
    }

    [Fact]
    public async Task Writes_the_ranked_selection_and_a_rerun_asks_nothing()
    {
        var config = WriteConfig(Generation);
        var (stage, pools) = ScriptedStage();
        var progress = new Recorder();
        var result = await stage.GenerateAsync(config, null, null, null, progress);

        Assert.Equal(Path.Combine(_dir, "out", "main", QuestionsWriter.FileName), result.QuestionsPath);
        Assert.Equal(3, progress.Steps);
        Assert.Contains(progress.Warnings, w => w.Contains("'s3' is also a scorer"));
        var lines = File.ReadAllLines(result.QuestionsPath);
        Assert.Equal(5, lines.Length);
        var scores = new List<double>();
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            Assert.Equal(
                ["id", "question", "argument", "seed", "category", "generator", "score", "components"],
                root.EnumerateObject().Select(p => p.Name)
            );
            var c = root.GetProperty("components");
            foreach (
                var key in new[]
                {
                    "value_conformity",
                    "value_diversity",
                    "opinion_diversity",
                    "disentanglement",
                    "beta",
                    "sign",
                    "responses",
                    "failed_responses",
                    "fast_score",
                    "depth",
                }
            )
                Assert.True(c.TryGetProperty(key, out _), key);
            scores.Add(root.GetProperty("score").GetDouble());
        }
        Assert.Equal(scores.OrderDescending(), scores);

        var store = AdaemStore.Open(Path.Combine(_dir, "adaem.db"));
        Assert.Equal(("generate", "done"), (store.GetRun("main")!.Stage, store.GetRun("main")!.Status));

        var again = await stage.GenerateAsync(config, null, null, null, new Recorder());
        Assert.Equal(0, pools[^1].Asked);
        Assert.Equal(lines, File.ReadAllLines(again.QuestionsPath));

        // --budget extends the same run; --out and --run are honoured.
        var outDir = Path.Combine(_dir, "elsewhere");
        var more = await stage.GenerateAsync(config, "main", 5, outDir, new Recorder());
        Assert.Equal(5, more.Summary.StepsDone);
        Assert.True(File.Exists(Path.Combine(outDir, QuestionsWriter.FileName)));
        Assert.Equal(5, store.LoadSteps("main").Count);
    }

    [Fact]
    public async Task A_run_name_that_leaves_the_out_folder_is_refused_before_anything_is_stored()
    {
        var config = WriteConfig(Generation);
        var (stage, pools) = ScriptedStage();
        await Assert.ThrowsAsync<InputException>(() => stage.GenerateAsync(config, "../escape", null, null, new Recorder()));
        Assert.Empty(pools);
        Assert.False(File.Exists(Path.Combine(_dir, "adaem.db")));
    }

    [Fact]
    public void Questions_writer_uses_invariant_numbers_and_the_contract_names()
    {
        var q = new BenchmarkQuestion
        {
            Id = "q00001-1",
            Question = "Should ferries be free?",
            Argument = "a",
            Seed = "s?",
            Category = "Economics & Business",
            Generator = "e1",
            Score = 6.123456789,
            Components = new BenchmarkComponents { ValueConformity = 1.5, FastScore = 5.25 },
        };
        var line = QuestionsWriter.ToLine(q);
        Assert.StartsWith("{\"id\":\"q00001-1\",\"question\":\"Should ferries be free?\"", line);
        Assert.Contains("\"score\":6.123457", line);
        Assert.Contains("\"value_conformity\":1.5", line);
        Assert.Contains("\"category\":\"Economics & Business\"", line);
    }

    private static (int Exit, string Out, string Err) Adaem(params string[] args)
    {
        var r = CliProcess.RunAsync(AppContext.BaseDirectory, args).GetAwaiter().GetResult();
        return (r.ExitCode, r.Stdout, r.Stderr);
    }

    [Fact]
    public void Cli_exit_codes_bad_config_is_2()
    {
        var config = WriteConfig("  explorers: [e1]\n  scorers: [e1, e2]");
        var (exit, _, err) = Adaem("generate", "-c", config, "--quiet");
        Assert.Equal(2, exit);
        Assert.Contains("generation.explorers", err);
        Assert.Contains("adaem.yaml", err);
    }

    [Fact]
    public void Cli_seed_file_errors_name_the_line()
    {
        File.WriteAllText(Path.Combine(_dir, "seeds.jsonl"), "{\"question\": \"Should zoos exist?\"}\nnot json\n");
        var config = WriteConfig(Generation + "\n  seeds: seeds.jsonl");
        var (exit, _, err) = Adaem("generate", "-c", config, "--quiet");
        Assert.Equal(2, exit);
        Assert.Contains("seeds.jsonl:2", err);
    }
}
