using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Tests.Support;

namespace Adaem.Tests.Generation;

/// <summary>
/// Regeneration without repeats (issue 15): a second release that excludes the first asks the same pool
/// again, and no question of the new benchmark duplicates one of the earlier one.
/// </summary>
public sealed class RegenerationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <param name="generation">More lines of the generation section.</param>
    private string Config(string name, params string[] generation) =>
        TestConfig.SimulatedGeneration().Generation(generation).WriteTo(_dir, name);

    [Fact]
    public async Task A_release_that_excludes_an_earlier_one_repeats_none_of_its_questions()
    {
        var first = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config("r1.yaml"), "--run", "r1", "--quiet");
        Assert.True(first.ExitCode == 0, first.All);
        var release1 = _dir.File("out/r1/questions.jsonl");

        var second = await CliProcess.RunAsync(
            _dir.Path,
            "generate",
            "-c",
            Config("r2.yaml", "exclude: [out/r1/questions.jsonl]", "period: \"events after June 2026\""),
            "--run",
            "r2",
            "--quiet"
        );
        Assert.True(second.ExitCode == 0, second.All);
        // The same pool on the same arms proposes what it proposed before; those candidates are dropped as earlier questions.
        Assert.Matches(@"in_earlier_benchmark [1-9]", second.Stdout);

        // The report needs scores: evaluate the second release, then its report counts the drops.
        var evaluated = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", _dir.File("r2.yaml"), "--run", "r2", "--quiet");
        Assert.True(evaluated.ExitCode == 0, evaluated.All);
        var report = await CliProcess.RunAsync(_dir.Path, "report", "-c", _dir.File("r2.yaml"), "--run", "r2");
        Assert.True(report.ExitCode == 0, report.All);
        Assert.Matches(@"in_earlier_benchmark [1-9]", File.ReadAllText(_dir.File("out/r2/report.html")));

        var index = (IDedupIndex)new DedupIndex();
        await index.AddAsync(QuestionSource.Read(release1).Select(q => (q.Id, q.Text)).ToList(), TestContext.Current.CancellationToken);
        var release2 = QuestionSource.Read(_dir.File("out/r2/questions.jsonl"));
        Assert.NotEmpty(release2);
        foreach (var q in release2)
        {
            var check = await index.CheckAsync(q.Text, TestContext.Current.CancellationToken);
            Assert.False(
                check.IsDuplicate(DedupThresholds.Ngram),
                $"{q.Id} repeats {check.ExactDuplicateOf ?? string.Join(",", check.Nearest)} ({check.MeanTopK:0.000})"
            );
        }
    }

    [Fact]
    public async Task An_exclude_entry_that_names_nothing_stops_before_any_call()
    {
        var r = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config("bad.yaml", "exclude: [no-such-release.jsonl]"), "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("generation.exclude names 'no-such-release.jsonl'", r.Stderr);
        Assert.Contains("bad.yaml:", r.Stderr);
        Assert.False(File.Exists(_dir.File("out/main/questions.jsonl")));
    }

    [Theory]
    [InlineData("main")] // the default run
    [InlineData("spring")]
    public async Task Excluding_the_run_being_generated_stops_before_any_call(string run)
    {
        var config = Config("self.yaml", $"exclude: [run:{run}]");
        var r =
            run == "main"
                ? await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--quiet")
                : await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--run", run, "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"generation.exclude names run:{run}, the run being generated", r.Stderr);
        Assert.Contains("self.yaml:", r.Stderr);
        Assert.Contains("--run NAME", r.Stderr);
        Assert.False(File.Exists(_dir.File($"out/{run}/questions.jsonl")));
    }
}

/// <summary>generation.period reaches the explorers' context prompt as a hint; without it the prompt is unchanged.</summary>
public sealed class PeriodHintTests
{
    [Fact]
    public void The_period_is_a_line_and_a_field_of_the_context_prompt_only_when_set()
    {
        var examples = new[] { new Core.Prompts.ExplorationExample("Should zoos in Kenya breed rhinos?", 6.5) };
        var plain = Core.Prompts.ExplorePrompt.Context("Should zoos exist?", examples, ["Kenyan rhino programmes"]);
        var hinted = Core.Prompts.ExplorePrompt.Context(
            "Should zoos exist?",
            examples,
            ["Kenyan rhino programmes"],
            "events after June 2026"
        );

        Assert.DoesNotContain("[Period]", plain.Messages[^1].Text);
        Assert.False(plain.Fields.TryGetProperty("period", out _));
        Assert.Contains("[Period]: prefer circumstances, events and settings from events after June 2026.", hinted.Messages[^1].Text);
        Assert.Equal("events after June 2026", hinted.Fields.GetProperty("period").GetString());
        Assert.Equal(plain.Version, hinted.Version);
    }
}
