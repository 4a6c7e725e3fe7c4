using Adaem.Tests.Providers;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>
/// How `adaem evaluate` ends when answers fail: exit 1 and no file touched when too few targets have a usable
/// answer to compare; otherwise exit 0 with the failures per model in the summary line. Real processes, a
/// loopback stub for the targets, a real store.
/// </summary>
public sealed class OutcomeTests
{
    private const string KeyVariable = "ADAEM_TEST_OUTCOME_KEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Environment = new() { [KeyVariable] = "sk-test-outcome-0123456789" };

    private static StubReply Garbage(StubRequest r) => StubReply.Chat("I would rather not say anything about that.");

    [Fact]
    public async Task Evaluate_exits_1_with_the_failures_and_leaves_the_last_good_files_when_every_answer_is_unreadable()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var dir = new TempDir();
        var config = dir.Write(
            "adaem.yaml",
            $$"""
            store: adaem.db
            models:
              alpha: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: alpha-model, api_key_env: {{KeyVariable}}, max_retries: 0 }
              beta:  { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: beta-model, api_key_env: {{KeyVariable}}, max_retries: 0 }
              judge: { provider: simulated, seed: 99 }
            judge: { model: judge, mode: batched }
            evaluation:
              targets: [alpha, beta]
              bootstrap: 20
            """
        );
        var outDir = dir.Sub("results");
        stub.Script = StubEvaluation.Opinion;
        var good = await CliProcess.RunAsync(
            dir.Path,
            Environment,
            "evaluate",
            "-c",
            config,
            "--questions",
            StubEvaluation.WriteQuestions(dir.Path, "good.jsonl", 3),
            "--out",
            outDir,
            "--quiet"
        );
        Assert.True(good.ExitCode == 0, good.All);
        var files = new[] { "scores.csv", "scores.json", "responses.jsonl" }.ToDictionary(
            f => f,
            f => File.ReadAllBytes(Path.Combine(outDir, f))
        );

        // Other questions in another run writing to the same folder: every reply is unreadable.
        stub.Script = Garbage;
        var before = stub.Count;
        var bad = await CliProcess.RunAsync(
            dir.Path,
            Environment,
            "evaluate",
            "-c",
            config,
            "--questions",
            StubEvaluation.WriteQuestions(dir.Path, "bad.jsonl", 4, "harbour"),
            "--out",
            outDir,
            "--run",
            "second",
            "--quiet"
        );

        Assert.True(bad.ExitCode == 1, bad.All);
        Assert.True(stub.Count > before, "the second run asked the models");
        Assert.Contains(
            "failed: evaluate scored no target: scores compare the targets with each other, so at least two need usable answers, and none had any.",
            bad.Stderr
        );
        Assert.Contains("alpha: 4 of 4 answers unreadable (first: parse: ", bad.Stderr);
        Assert.Contains("beta: 4 of 4 answers unreadable (first: parse: ", bad.Stderr);
        Assert.Contains(
            $"Nothing was written: the files already in {outDir} (if any) are those of the last evaluation that scored.",
            bad.Stderr
        );
        Assert.Contains("Fix: 'unreadable' means a model did not answer in adaem's format", bad.Stderr);
        Assert.Contains("evaluate stopped: answers judged 8/8 (100%), 8 failed; ", bad.Stdout);
        Assert.Contains("; failures: alpha 4 unreadable; beta 4 unreadable", bad.Stdout);
        foreach (var (name, bytes) in files)
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(outDir, name)));
        Assert.Equal("evaluate:failed", RunStatus(dir.File("adaem.db"), "second"));
    }

    [Fact]
    public async Task Evaluate_with_some_unreadable_answers_exits_0_and_its_summary_counts_them_per_model()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 5);
        stub.Script = r => r.RawBody.Contains("town 2 ", StringComparison.Ordinal) ? Garbage(r) : StubEvaluation.Opinion(r);

        var result = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(
            System.Text.RegularExpressions.Regex.IsMatch(
                result.Stdout,
                @"evaluate done: answers judged 10/10 \(100%\), 1 failed; .*; failures: remote 1 unreadable\r?\n"
            ),
            result.All
        );
        Assert.Contains("1 of 10 answers could not be parsed or judged", result.Stdout);
    }

    private static string RunStatus(string store, string run)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT stage || ':' || status FROM runs WHERE name = $run";
        cmd.Parameters.AddWithValue("$run", run);
        return (string)cmd.ExecuteScalar()!;
    }
}
