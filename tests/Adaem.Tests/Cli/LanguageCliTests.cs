using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Tests.Pipeline;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// Languages through the real command: the config's language keys and their errors (exit 2 at the line, naming
/// the shipped languages and how to add one), `adaem validate prompts`, and the offline example run in Chinese
/// on the simulated pool from start to scores.
/// </summary>
public sealed class LanguageCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Models = """
        models:
          a: { provider: simulated, seed: 1 }
          b: { provider: simulated, seed: 2 }
          j: { provider: simulated, seed: 3 }
        judge: { model: j }
        """;

    private string Config(string top, string generation = "", string evaluation = "") =>
        _dir.Write(
            "adaem.yaml",
            $"{top}\n{Models}\ngeneration:\n  explorers: [a]\n  scorers: [a, b]\n{generation}\nevaluation:\n  targets: [a, b]\n{evaluation}\n"
        );

    [Fact]
    public void The_top_level_language_applies_to_both_stages_and_each_stage_may_override_it()
    {
        var c = ConfigLoader.Load(Config("language: zh", evaluation: "  language: de"));
        Assert.Equal("zh", c.Language);
        Assert.Equal("zh", c.Generation.Language);
        Assert.Equal("de", c.Evaluation.Language);
        var plain = ConfigLoader.Load(Config(""));
        Assert.Equal(("en", "en", "en"), (plain.Language, plain.Generation.Language, plain.Evaluation.Language));
        Assert.Equal("ja", ConfigLoader.Load(Config("language: ja-JP")).Evaluation.Language);
    }

    [Theory]
    [InlineData("language: tlh", "", 1, "language 'tlh'")]
    [InlineData("", "  language: xx", 10, "language 'xx'")]
    public void An_unknown_language_is_a_problem_of_its_line_naming_the_shipped_ones_and_how_to_add_one(
        string top,
        string generation,
        int line,
        string message
    )
    {
        var path = Config(top, generation);
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        var p = Assert.Single(e.Problems);
        Assert.Equal((path, line), (p.File, p.Line));
        Assert.Contains(message, p.Message);
        Assert.Contains("shipped: en, zh, es, de, fr, ja, ar", p.Message);
        Assert.Contains("validate prompts --language FOLDER", p.Fix);
    }

    [Fact]
    public async Task Evaluate_with_an_unknown_language_exits_2_at_the_config_line_before_any_call()
    {
        var path = Config("", evaluation: "  language: klingon");
        var r = await CliProcess.RunAsync(
            _dir.Path,
            "evaluate",
            "-c",
            path,
            "--questions",
            _dir.Write("q.jsonl", "{\"question\":\"Should zoos close?\"}\n"),
            "--quiet"
        );
        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"{path}:13: language 'klingon' is not one adaem ships", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "adaem.db")));
    }

    [Fact]
    public async Task Switching_a_runs_language_is_an_instrument_change_refused_before_any_call_unless_accepted()
    {
        var questions = _dir.Write("q.jsonl", "{\"question\":\"Should zoos close?\"}\n{\"question\":\"Should cities ban cars?\"}\n");
        var path = Config("");
        var english = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", path, "--questions", questions, "--quiet");
        Assert.True(english.ExitCode == 0, english.All);

        File.WriteAllText(path, "language: de\n" + File.ReadAllText(path));
        var refused = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", path, "--questions", questions, "--quiet");
        Assert.True(refused.ExitCode == 2, refused.All);
        Assert.Contains("run 'main' used judge 'judge'", refused.Stderr);
        Assert.Contains(";language=de:", refused.Stderr);

        var accepted = await CliProcess.RunAsync(
            _dir.Path,
            "evaluate",
            "-c",
            path,
            "--questions",
            questions,
            "--quiet",
            "--accept-changes"
        );
        Assert.True(accepted.ExitCode == 0, accepted.All);
        Assert.Contains("8 made, 0 from the cache", accepted.Stdout);
        // Every key point now comes from the simulated pool's German bank.
        var german = Adaem.Providers.Simulated.SimulatedLanguages.Get("de")!;
        var points = german.Values.Values.SelectMany(b => b.Points).Concat(german.BlandPoints).ToHashSet(StringComparer.Ordinal);
        var opinions = File.ReadAllLines(Path.Combine(_dir.Path, "out", "main", "responses.jsonl"))
            .SelectMany(l =>
                System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("opinions").EnumerateArray().Select(o => o.GetString()!)
            )
            .ToList();
        Assert.Equal(2 * 2 * 3, opinions.Count);
        Assert.All(opinions, o => Assert.Contains(o[..o.IndexOf(':', StringComparison.Ordinal)], points));
    }

    [Fact]
    public void A_language_folder_with_a_broken_template_is_reported_at_the_config_line_with_the_files_own_line()
    {
        var folder = _dir.Sub("my-lang");
        Directory.CreateDirectory(folder);
        foreach (var f in new[] { "language.yaml", "templates.yaml", "examples.yaml" })
            File.Copy(Path.Combine(RepoPaths.Root, "data", "prompts", "en", f), Path.Combine(folder, f));
        File.WriteAllText(
            Path.Combine(folder, "language.yaml"),
            File.ReadAllText(Path.Combine(folder, "language.yaml")).Replace("code: en", "code: en-GB", StringComparison.Ordinal)
        );
        Assert.Equal(folder, ConfigLoader.Load(Config("language: ./my-lang")).Generation.Language);

        var templates = Path.Combine(folder, "templates.yaml");
        File.WriteAllText(
            templates,
            File.ReadAllText(templates).Replace("{word_limit} words", "{word_limits} words", StringComparison.Ordinal)
        );
        var path = Config("language: ./my-lang");
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        var p = Assert.Single(e.Problems);
        Assert.Equal((path, 1), (p.File, p.Line));
        Assert.Contains($"{templates}:", p.Message);
        Assert.Contains("{word_limits}", p.Message);
    }

    [Fact]
    public async Task Validate_prompts_prints_a_row_per_role_and_exits_0_for_a_shipped_language()
    {
        var r = await CliProcess.RunAsync(_dir.Path, "validate", "prompts", "--language", "ar");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("prompts in ar (العربية, built in, right to left)", r.Stdout);
        foreach (
            var role in new[]
            {
                "opinion",
                "judge_batched",
                "judge_value",
                "judge_question",
                "explore_context",
                "explore_question",
                "reflect",
                "refine",
                "safety",
                "seed_convert",
                "seed_expand",
            }
        )
            Assert.Matches($@"\n  {role} +ok +ok +\d+", r.Stdout);
        Assert.Contains("all 12 roles rendered and parsed", r.Stdout);
    }

    [Fact]
    public async Task Validate_prompts_exits_2_for_an_unknown_language_and_1_when_an_example_is_misread()
    {
        var unknown = await CliProcess.RunAsync(_dir.Path, "validate", "prompts", "--language", "xx");
        Assert.True(unknown.ExitCode == 2, unknown.All);
        Assert.Contains("shipped: en, zh, es, de, fr, ja, ar", unknown.Stderr);

        var folder = _dir.Sub("de-test");
        Directory.CreateDirectory(folder);
        foreach (var f in new[] { "language.yaml", "templates.yaml", "examples.yaml" })
            File.Copy(Path.Combine(RepoPaths.Root, "data", "prompts", "de", f), Path.Combine(folder, f));
        // An example the German parser reads differently from what it claims: the stance of "Haltung: Nein" is no.
        var examples = Path.Combine(folder, "examples.yaml");
        File.WriteAllText(
            examples,
            File.ReadAllText(examples)
                .Replace("**Haltung:** Nein", "**Haltung:** Nein, niemals", StringComparison.Ordinal)
                .Replace("    expect: no\n    count: 2", "    expect: yes\n    count: 2", StringComparison.Ordinal)
        );
        var misread = await CliProcess.RunAsync(_dir.Path, "validate", "prompts", "--language", folder);
        Assert.True(misread.ExitCode == 1, misread.All);
        Assert.Matches(@"\n  opinion +ok +FAIL", misread.Stdout);
        Assert.Contains("stance read as \"no\", expected \"yes\"", misread.Stdout);
        Assert.Contains("1 of 12 roles failed", misread.Stdout);
    }

    [Fact]
    public async Task The_offline_example_in_Chinese_runs_end_to_end_on_the_simulated_pool_and_scores_every_target()
    {
        using var copy = new OfflineCopy();
        File.WriteAllText(copy.ConfigPath, "language: zh\n" + File.ReadAllText(copy.ConfigPath));
        var r = await copy.RunCliAsync("run", "--quiet");
        Assert.True(r.ExitCode == 0, r.All);
        var scores = copy.ReadScores("main");
        Assert.Equal(6, scores.Count);
        Assert.All(scores.Values, byValue => Assert.Equal(10, byValue.Count));
        // The targets answered in Chinese and the Chinese parser read them: stance words, key points in Chinese.
        var responses = File.ReadAllLines(copy.OutFile("main", "responses.jsonl"));
        Assert.All(responses.Take(20), line => Assert.Matches(@"""opinions"":\[""[^""]*[\u4e00-\u9fff]", line));
        Assert.DoesNotContain(responses, line => line.Contains("\"failure\"", StringComparison.Ordinal));
        // The simulated profiles' order is still recovered in Chinese: the progressive target leads on universalism over the
        // traditionalist.
        Assert.True(scores["progressive"]["universalism"] > scores["traditionalist"]["universalism"]);
        Assert.True(scores["traditionalist"]["tradition"] > scores["progressive"]["tradition"]);
    }
}
