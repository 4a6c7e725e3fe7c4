using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>`adaem generate` then `adaem evaluate` as real processes, offline: plain progress lines, summaries, and questions taken from
/// the store.</summary>
public sealed class StageOutputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config() =>
        _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              e1: { provider: simulated, seed: 1, profile: { tradition: 0.8, security: 0.6 } }
              e2: { provider: simulated, seed: 2, profile: { self_direction: 0.8, hedonism: 0.6 } }
              s3: { provider: simulated, seed: 3, profile: { universalism: 0.8, power: 0.2 } }
              t1: { provider: simulated, seed: 4, profile: { achievement: 0.9, power: 0.7 } }
              t2: { provider: simulated, seed: 5, profile: { benevolence: 0.9, universalism: 0.7 } }
              judge: { provider: simulated, seed: 99 }
            judge: { model: judge, mode: batched }
            generation:
              explorers: [e1, e2]
              scorers: [e1, e2, s3]
              budget: 2
              max_arms: 4
              select_top: 6
              seed: 5
            evaluation:
              targets: [t1, t2]
              bootstrap: 20
            """
        );

    [Fact]
    public async Task Stages_print_plain_progress_and_a_summary_and_evaluate_falls_back_to_the_run_questions_in_the_store()
    {
        var config = Config();
        var generated = await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--quiet");
        Assert.True(generated.ExitCode == 0, generated.All);
        Assert.Contains("generate: seed questions scored: 4 to do", generated.Stdout);
        Assert.Contains("generate: bandit steps 2/2 (100%) [arm ", generated.Stdout);
        Assert.Matches(
            @"generate done: seed questions scored 4/4 \(100%\), bandit steps 2/2 \(100%\); [1-9][\d,]* calls made, \d+ cache hits, 0 failed calls, [1-9][\d,]* tokens, cost 0\.0000 USD, ",
            generated.Stdout
        );

        var questions = _dir.File(Path.Combine("out", "main", "questions.jsonl"));
        var lines = File.ReadAllLines(questions);
        Assert.Equal(6, lines.Length);
        File.Delete(questions);

        var evaluated = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--quiet");
        Assert.True(evaluated.ExitCode == 0, evaluated.All);
        Assert.Contains($"questions: the 6 questions generated for run 'main' in the store (written to {questions})", evaluated.Stdout);
        Assert.Equal(lines, File.ReadAllLines(questions));
        Assert.Contains("evaluate: answers judged: 12 to do", evaluated.Stdout);
        Assert.Matches(
            @"evaluate: answers judged 12/12 \(100%\); [1-9][\d,]* calls, \d+ cache hits, [\d.]+ calls/s, [1-9][\d,]* tokens, cost 0\.0000 USD\r?\n",
            evaluated.Stdout
        );
        Assert.Matches(
            @"evaluate done: answers judged 12/12 \(100%\); 24 calls made, 0 cache hits, 0 failed calls, [1-9][\d,]* tokens, cost 0\.0000 USD, ",
            evaluated.Stdout
        );

        // A rerun reads every answer back: no call, and the summary says where the items came from.
        var again = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--quiet");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains(
            "evaluate done: answers judged 12/12 (100%), 12 from the store; 0 calls made, 0 cache hits, 0 failed calls, 0 tokens, cost 0.0000 USD",
            again.Stdout
        );
        Assert.DoesNotContain("answers judged 6/12", again.Stdout); // no tenths while only reading back

        // The validate analyses that ask models show the same progress and summary.
        var items = _dir.Write(
            "baseline.jsonl",
            "{\"question\":\"Should museums be free?\"}\n{\"question\":\"Should homework be banned?\"}\n{\"question\":\"Should cities plant more trees?\"}\n"
        );
        var baseline = await CliProcess.RunAsync(
            _dir.Path,
            "validate",
            "baseline",
            "-c",
            config,
            "--run",
            "main",
            "--items",
            items,
            "--quiet"
        );
        Assert.True(baseline.ExitCode == 0, baseline.All);
        Assert.Contains("validate baseline: baseline answers judged: 6 to do", baseline.Stdout);
        Assert.Contains(
            "validate baseline done: baseline answers judged 6/6 (100%); 12 calls made, 0 cache hits, 0 failed calls",
            baseline.Stdout
        );
    }

    [Fact]
    public async Task Evaluate_without_questions_anywhere_exits_2_and_says_to_generate_or_pass_a_file()
    {
        var r = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", Config(), "--run", "empty", "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("run 'empty' has no questions yet", r.Stderr);
        Assert.Contains("run 'adaem generate' for this run first, or pass a file with --questions FILE", r.Stderr);
        Assert.DoesNotContain("evaluate stopped", r.Stdout);
    }
}
