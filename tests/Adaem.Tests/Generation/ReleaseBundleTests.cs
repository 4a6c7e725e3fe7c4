using System.Security.Cryptography;
using System.Text.Json;
using Adaem.Core.Evaluation;
using Adaem.Tests.Support;

namespace Adaem.Tests.Generation;

/// <summary>
/// Frozen releases (issue 15): `adaem export --what benchmark` writes questions.jsonl and a manifest with
/// its SHA-256; `adaem evaluate --questions BUNDLE` checks the hash before any call and names the release
/// in scores.json and the report; a release folder can be excluded by a later generation.
/// </summary>
public sealed class ReleaseBundleTests : IDisposable
{
    private const string KeyVariable = "ADAEM_BUNDLE_TEST_KEY";
    private const string EnvKey = "sk-envkey-7f3a91c2d4";
    private const string UrlKey = "urlkey-55b0e8aa19c3";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <param name="evaluationJudge">The judge of `evaluate`; the generation judge is always the simulated one.</param>
    /// <param name="generation">A line more of the generation section.</param>
    private string Config(string name, string evaluationJudge = "judge", string? generation = null)
    {
        var config = TestConfig
            .SimulatedGeneration()
            .Model("remote", TestConfig.OnStub(new Uri($"http://127.0.0.1:9/v1?api-key={UrlKey}"), KeyVariable, model: "remote-model"))
            .Judge(evaluationJudge)
            .Generation("judge: judge");
        if (generation is not null)
            config.Generation(generation);
        return config.WriteTo(_dir, name);
    }

    private async Task<string> GenerateAndExportAsync(string config)
    {
        var generated = await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--run", "r1", "--quiet");
        Assert.True(generated.ExitCode == 0, generated.All);
        var release = _dir.Sub("releases", "r1");
        var exported = await CliProcess.RunAsync(_dir.Path, "export", "-c", config, "--run", "r1", "--what", "benchmark", "--out", release);
        Assert.True(exported.ExitCode == 0, exported.All);
        return release;
    }

    [Fact]
    public async Task An_exported_release_has_a_manifest_whose_hash_matches_its_questions()
    {
        var config = Config("c.yaml");
        var release = await GenerateAndExportAsync(config);

        var questionsPath = Path.Combine(release, "questions.jsonl");
        var questions = QuestionSource.Read(questionsPath);
        Assert.NotEmpty(questions);
        // The same selection `--what questions` makes (and generate wrote).
        Assert.Equal(File.ReadAllText(_dir.File("out/r1/questions.jsonl")), File.ReadAllText(questionsPath));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release, "manifest.json")));
        var m = manifest.RootElement;
        Assert.Equal("adaem-benchmark/1", m.GetProperty("format").GetString());
        Assert.False(string.IsNullOrEmpty(m.GetProperty("adaem_version").GetString()));
        Assert.EndsWith("Z", m.GetProperty("created_utc").GetString());
        Assert.Equal("r1", m.GetProperty("run").GetString());
        Assert.Matches("^[0-9a-f]{64}$", m.GetProperty("config_hash").GetString());
        Assert.Equal("schwartz10", m.GetProperty("theory").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(m.GetProperty("theory").GetProperty("fingerprint").GetString()));
        var generation = m.GetProperty("generation");
        Assert.Equal(["e1", "e2"], generation.GetProperty("explorers").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["e1", "e2", "e3"], generation.GetProperty("scorers").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("simulated", generation.GetProperty("explorers")[0].GetProperty("provider").GetString());
        Assert.Equal("judge", generation.GetProperty("judge").GetProperty("name").GetString());
        Assert.Equal("builtin", generation.GetProperty("seeds").GetString());
        Assert.Equal("judge", m.GetProperty("evaluation").GetProperty("judge").GetProperty("name").GetString());
        Assert.Contains(m.GetProperty("recorded_instruments").EnumerateArray(), i => i.GetProperty("role").GetString() == "explorer");
        Assert.Equal(questions.Count, m.GetProperty("questions").GetInt32());
        Assert.Equal(questions.Count, m.GetProperty("categories").EnumerateObject().Sum(c => c.Value.GetInt32()));
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(questionsPath)));
        Assert.Equal(sha, m.GetProperty("questions_file").GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Evaluating_a_release_names_it_in_scores_json_and_the_report()
    {
        var config = Config("c.yaml");
        var release = await GenerateAndExportAsync(config);

        var evaluated = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--run", "e1", "--questions", release, "--quiet");
        Assert.True(evaluated.ExitCode == 0, evaluated.All);
        Assert.Contains("matches its manifest", evaluated.Stdout);
        using var scores = JsonDocument.Parse(File.ReadAllText(_dir.File("out/e1/scores.json")));
        var bundle = scores.RootElement.GetProperty("bundle");
        Assert.Equal(Path.GetFullPath(release), bundle.GetProperty("path").GetString());
        Assert.Equal("r1", bundle.GetProperty("run").GetString());
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(release, "questions.jsonl"))));
        Assert.Equal(sha, bundle.GetProperty("sha256").GetString());

        var report = await CliProcess.RunAsync(_dir.Path, "report", "-c", config, "--run", "e1");
        Assert.True(report.ExitCode == 0, report.All);
        var html = File.ReadAllText(_dir.File("out/e1/report.html"));
        Assert.Contains("benchmark release", html);
        Assert.Contains(sha, html);
    }

    [Fact]
    public async Task A_modified_release_file_is_exit_2_before_any_call()
    {
        var config = Config("c.yaml");
        var release = await GenerateAndExportAsync(config);
        var questionsPath = Path.Combine(release, "questions.jsonl");
        var lines = File.ReadAllLines(questionsPath);
        File.WriteAllLines(questionsPath, lines.Skip(1));

        var evaluated = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--run", "e1", "--questions", release, "--quiet");
        Assert.Equal(2, evaluated.ExitCode);
        Assert.Contains(questionsPath, evaluated.Stderr);
        Assert.Contains("no longer matches the release", evaluated.Stderr);
        // Before any call: no answers, no output folder, no scores in the store for the run.
        Assert.False(File.Exists(_dir.File("out/e1/responses.jsonl")));
        Assert.Empty(Adaem.Storage.AdaemStore.Open(_dir.File("adaem.db")).SummarizeCalls("e1"));
    }

    [Fact]
    public async Task A_release_made_under_another_theory_is_exit_2_before_any_call()
    {
        var config = Config("c.yaml");
        var release = await GenerateAndExportAsync(config);
        // The same config evaluating with a theory of the same code and values whose one definition was reworded.
        var builtIn = Path.Combine(RepoRoot(), "data", "theories", "schwartz10.yaml");
        var reworded = File.ReadAllText(builtIn)
            .Replace(
                "definition: Independent thought and action;",
                "definition: Thinking and acting independently;",
                StringComparison.Ordinal
            );
        Assert.NotEqual(File.ReadAllText(builtIn), reworded);
        _dir.Write("reworded.yaml", reworded);
        var other = _dir.Write("other.yaml", "theory: reworded.yaml\n" + File.ReadAllText(config));

        var evaluated = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", other, "--run", "e1", "--questions", release, "--quiet");

        Assert.True(evaluated.ExitCode == 2, evaluated.All);
        Assert.True(
            evaluated.Stderr.Contains("the release was made under theory 'schwartz10'", StringComparison.Ordinal),
            evaluated.Stderr
        );
        Assert.Contains(Path.Combine(release, "manifest.json"), evaluated.Stderr);
        Assert.Contains("fix: set the config's 'theory:' to the release's theory", evaluated.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(_dir.File("out/e1/responses.jsonl")));
        Assert.Empty(Adaem.Storage.AdaemStore.Open(_dir.File("adaem.db")).SummarizeCalls("e1"));
        // The same release under its own theory passes the check.
        var same = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--run", "e2", "--questions", release, "--quiet");
        Assert.True(same.ExitCode == 0, same.All);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Adaem.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Adaem.slnx not found above the test binaries");
    }

    [Fact]
    public void The_questions_are_parsed_from_the_bytes_whose_hash_was_checked()
    {
        var release = Directory.CreateDirectory(_dir.Sub("manual")).FullName;
        var questionsPath = Path.Combine(release, "questions.jsonl");
        File.WriteAllText(questionsPath, "{\"id\":\"q1\",\"question\":\"Should towns ban cars on Sundays?\"}\n");
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(questionsPath)));
        File.WriteAllText(
            Path.Combine(release, "manifest.json"),
            $$$"""{"format":"adaem-benchmark/1","run":"r1","questions_file":{"name":"questions.jsonl","sha256":"{{{sha}}}"}}"""
        );

        var verified = Adaem.RunFiles.BenchmarkBundle.Open(release);
        // The file changes after the check: what is parsed is still what was checked.
        File.WriteAllText(questionsPath, "{\"id\":\"q9\",\"question\":\"Something else entirely?\"}\n");
        var parsed = QuestionSource.LoadJsonl(verified.QuestionsPath, verified.QuestionsBytes, QuestionLimits.Default);

        Assert.Equal(sha, verified.Info.Sha256);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(verified.QuestionsBytes)));
        var q = Assert.Single(parsed.Questions);
        Assert.Equal("q1", q.Id);
        Assert.Null(verified.TheoryFingerprint);
    }

    [Fact]
    public async Task A_folder_holding_a_release_is_never_rewritten()
    {
        var config = Config("c.yaml");
        var release = await GenerateAndExportAsync(config);
        var manifest = File.ReadAllBytes(Path.Combine(release, "manifest.json"));
        var questions = File.ReadAllBytes(Path.Combine(release, "questions.jsonl"));

        // The same selection again: left as it is.
        var same = await CliProcess.RunAsync(_dir.Path, "export", "-c", config, "--run", "r1", "--what", "benchmark", "--out", release);
        Assert.True(same.ExitCode == 0, same.All);
        Assert.Contains("already holds this release", same.All);
        Assert.Equal(manifest, File.ReadAllBytes(Path.Combine(release, "manifest.json")));

        // Another selection of the same run (the top 3 only): exit 2, nothing written.
        var top3 = _dir.Write(
            "top3.yaml",
            System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(config), @"select_top: \d+", "select_top: 3")
        );
        Assert.NotEqual(File.ReadAllText(config), File.ReadAllText(top3));
        var other = await CliProcess.RunAsync(_dir.Path, "export", "-c", top3, "--run", "r1", "--what", "benchmark", "--out", release);
        Assert.True(other.ExitCode == 2, other.All);
        Assert.True(other.Stderr.Contains("already holds another release", StringComparison.Ordinal), other.Stderr);
        Assert.Contains(Path.Combine(release, "manifest.json"), other.Stderr);
        Assert.Equal(manifest, File.ReadAllBytes(Path.Combine(release, "manifest.json")));
        Assert.Equal(questions, File.ReadAllBytes(Path.Combine(release, "questions.jsonl")));
    }

    [Fact]
    public async Task The_manifest_holds_no_credential_of_a_model_it_names()
    {
        var config = Config("c.yaml", evaluationJudge: "remote");
        var generated = await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--run", "r1", "--quiet");
        Assert.True(generated.ExitCode == 0, generated.All);
        var release = _dir.Sub("releases", "r1");
        var env = new Dictionary<string, string> { [KeyVariable] = EnvKey };
        var exported = await CliProcess.RunAsync(
            _dir.Path,
            env,
            "export",
            "-c",
            config,
            "--run",
            "r1",
            "--what",
            "benchmark",
            "--out",
            release
        );
        Assert.True(exported.ExitCode == 0, exported.All);

        var text = File.ReadAllText(Path.Combine(release, "manifest.json"));
        using var manifest = JsonDocument.Parse(text);
        var judge = manifest.RootElement.GetProperty("evaluation").GetProperty("judge");
        Assert.Equal("remote-model", judge.GetProperty("model").GetString());
        Assert.StartsWith("http://127.0.0.1:9/v1?api-key=", judge.GetProperty("endpoint").GetString());
        Assert.DoesNotContain(UrlKey[..8], text);
        Assert.DoesNotContain(EnvKey[..8], text);
        Assert.DoesNotContain(UrlKey[..8], exported.All);
    }

    [Fact]
    public async Task A_release_folder_can_be_excluded_by_the_next_generation()
    {
        var release = await GenerateAndExportAsync(Config("c.yaml"));
        var second = await CliProcess.RunAsync(
            _dir.Path,
            "generate",
            "-c",
            Config("r2.yaml", generation: $"exclude: [\"{release}\"]"),
            "--run",
            "r2",
            "--quiet"
        );
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Matches(@"in_earlier_benchmark [1-9]", second.Stdout);
    }

    [Fact]
    public async Task A_benchmark_export_without_out_is_exit_2()
    {
        var config = Config("c.yaml");
        var generated = await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--run", "r1", "--quiet");
        Assert.True(generated.ExitCode == 0, generated.All);
        var exported = await CliProcess.RunAsync(_dir.Path, "export", "-c", config, "--run", "r1", "--what", "benchmark");
        Assert.Equal(2, exported.ExitCode);
        Assert.Contains("--out", exported.Stderr);
        Assert.False(File.Exists(_dir.File("out/r1/manifest.json")));
    }
}
