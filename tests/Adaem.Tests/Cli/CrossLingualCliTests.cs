using System.Globalization;
using Adaem.Core.Data;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Cli;

/// <summary>
/// Cross-lingual evaluation through the real command: examples/languages.yaml (a copy) run end to end (generate in
/// English, evaluate in English and Chinese, report), its files, the planted shift, the trace of a question with its
/// translation, a rerun that asks nothing; and a config error that exits 2 at its line before any call.
/// </summary>
public sealed class CrossLingualCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_languages_example_runs_end_to_end_and_reruns_without_a_call()
    {
        var config = _dir.Write("languages.yaml", File.ReadAllText(Path.Combine(RepoPaths.Examples, "languages.yaml")));
        var run = await CliProcess.RunAsync(_dir.Path, "run", "-c", config, "--quiet");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("evaluate run 'main':", run.Stdout);
        Assert.Contains("× 2 languages (en, zh)", run.Stdout);
        Assert.Contains("progressive@zh", run.Stdout);
        Assert.Contains("per-value shifts between languages have an interval that excludes 0", run.Stdout);
        Assert.Contains("evaluate done: questions translated", run.All);

        string Out(string name) => Path.Combine(_dir.Path, "out", "main", name);
        Assert.StartsWith("model,language,value,", File.ReadLines(Out("scores.csv")).First());
        Assert.True(File.Exists(Out("questions.zh.jsonl")));
        Assert.Contains("<h2>Across languages</h2>", File.ReadAllText(Out("report.html")));
        // The planted effect of the example: progressive voices tradition more in Chinese.
        var planted = TabularFile.Read(Out("shifts.csv")).Single(r => r.Get("model") == "progressive" && r.Get("value") == "tradition");
        double D(string column) => double.Parse(planted.Get(column)!, CultureInfo.InvariantCulture);
        Assert.True(D("shift") > 0 && D("ci_low") > 0, $"planted shift {D("shift")} [{D("ci_low")}, {D("ci_high")}]");

        // One question's trace shows its translation.
        var id = TabularFile.Read(Out("questions.jsonl"))[0].Get("id")!;
        var trace = await CliProcess.RunAsync(
            _dir.Path,
            "export",
            "-c",
            config,
            "--run",
            "main",
            "--what",
            "trace",
            "--question",
            id,
            "--format",
            "text"
        );
        Assert.True(trace.ExitCode == 0, trace.All);
        var text = File.ReadAllText(Directory.GetFiles(Path.Combine(_dir.Path, "out", "main"), "trace-*.txt").Single());
        Assert.Contains("translated into zh by translator (v1+zh:", text);

        var again = await CliProcess.RunAsync(_dir.Path, "run", "-c", config, "--quiet");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains(
            "evaluate done: questions translated 40/40 (100%), 40 from the store, answers judged 320/320 (100%), 320 from the store; 0 calls made",
            again.All
        );
    }

    [Fact]
    public async Task Languages_without_a_translator_exit_2_at_the_config_line_before_any_call()
    {
        var config = _dir.Write(
            "adaem.yaml",
            """
            store: x.db
            models:
              a: { provider: simulated, seed: 1 }
              b: { provider: simulated, seed: 2 }
              j: { provider: simulated, seed: 3 }
            judge: { model: j }
            evaluation:
              targets: [a, b]
              languages: [en, zh]
            """
        );
        var questions = _dir.Write("q.jsonl", "{\"question\":\"Should zoos close?\"}\n");
        var r = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--questions", questions, "--quiet");
        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains(
            $"{config}:9: evaluation.languages asks in zh, which is not the questions' language (en, the generation language)",
            r.Stderr
        );
        Assert.Contains("add 'translator: MODEL' under evaluation", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "x.db")));
    }
}
