using Adaem.Tests.Providers;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>
/// `adaem evaluate` with a target in batch mode, as a real process against the loopback batch stub (OpenAI's
/// wire format): its answers travel in one batch and are scored; a process killed with -9 while its batch is in
/// flight is rerun, finds the batch in the store, waits for it and pays for nothing twice.
/// </summary>
public sealed class BatchCliTests : IDisposable
{
    private const string KeyVariable = "ADAEM_TEST_BATCH_KEY";
    private const string Key = "sk-batch-cli-5e0a3f9d1c7b2468";
    private const int Questions = 3;

    /// <summary>A reply in the opinion format the parser reads.</summary>
    private const string Opinion = StubEvaluation.OpinionText;

    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.File("adaem.db");

    /// <summary>
    /// Target 'remote' batches on the stub (a batch of <see cref="Questions"/>, looked at every 50 ms); target and judge
    /// 'local', 'judge' are simulated.
    /// </summary>
    private (string Config, string Questions) Setup(OpenAIStub stub)
    {
        var config = TestConfig.StubEvaluation(BatchRemote(stub, Questions, windowSeconds: 30)).WriteTo(_dir);
        var questions = _dir.Write("questions.jsonl", StubEvaluation.QuestionLines(Questions, i => $"q{i}"));
        return (config, questions);
    }

    /// <summary>'remote' in batch mode on the stub: batches of <paramref name="max"/>, looked at every 50 ms.</summary>
    private static string BatchRemote(OpenAIStub stub, int max, int windowSeconds) =>
        $"{{ provider: openai, base_url: \"{stub.BaseUrl}\", model: gpt-4o-mini, api_key_env: {KeyVariable}, "
        + $"batch: true, batch_max: {max}, batch_window_s: {windowSeconds}, batch_poll_s: 0.05 }}";

    private static Dictionary<string, string> Environment(string? staleSeconds = null)
    {
        var env = new Dictionary<string, string> { [KeyVariable] = Key };
        if (staleSeconds is not null)
            env["ADAEM_LEASE_STALE_S"] = staleSeconds;
        return env;
    }

    [Fact]
    public async Task Evaluate_sends_a_targets_answers_in_one_batch_scores_them_and_a_rerun_sends_nothing()
    {
        await using var server = await OpenAIStub.StartAsync(Ct);
        var batches = new BatchStub(server) { Answer = _ => StubBatchAnswer.Succeeded(Opinion, 200, 80) };
        var (config, questions) = Setup(server);

        var r = await CliProcess.RunAsync(_dir.Path, Environment(), "evaluate", "-c", config, "--questions", questions, "--quiet");

        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains($"evaluate done: answers judged {2 * Questions}/{2 * Questions} (100%)", r.Stdout);
        var batch = Assert.Single(batches.Batches);
        Assert.Equal(Questions, batch.Requests.Count);
        Assert.Equal(0, batches.DirectCalls);
        Assert.True(File.Exists(_dir.Sub("out", "main", "scores.csv")));
        Assert.Equal(Questions, BatchedAnswers(batch.Id));

        var runs = await CliProcess.RunAsync(_dir.Path, Environment(), "runs", "-c", config);
        Assert.True(runs.ExitCode == 0, runs.All);
        Assert.Contains($"{Questions} of the answers came from provider batches", runs.Stdout);
        Assert.DoesNotContain("batch in flight", runs.Stdout);

        var again = await CliProcess.RunAsync(_dir.Path, Environment(), "evaluate", "-c", config, "--questions", questions, "--quiet");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Single(batches.Batches);
    }

    [Fact]
    public async Task A_process_killed_while_its_batch_is_in_flight_is_rerun_waits_for_the_same_batch_and_pays_once()
    {
        await using var server = await OpenAIStub.StartAsync(Ct);
        var batches = new BatchStub(server) { Answer = _ => StubBatchAnswer.Succeeded(Opinion), Hold = true };
        var (config, questions) = Setup(server);
        string[] evaluate = ["evaluate", "-c", config, "--questions", questions, "--quiet"];
        // Claims of a killed process go stale in 2 s instead of 30, so the rerun takes them over quickly.
        var env = Environment(staleSeconds: "2");

        string batchId;
        using (var first = AdaemProcess.Start(evaluate, env, _dir.Path))
        {
            var exited = first.Process.WaitForExitAsync(Ct);
            await Poll.UntilAsync(
                () => BatchesInFlight().Count == 1,
                "the batch to be in the store",
                exited,
                details: () => first.StandardError
            );
            first.Process.Kill(entireProcessTree: true);
            await exited;
            batchId = Assert.Single(BatchesInFlight());
        }
        Assert.Equal(batchId, Assert.Single(batches.Batches).Id);

        // `adaem runs` shows the batch in flight.
        var runs = await CliProcess.RunAsync(_dir.Path, env, "runs", "-c", config);
        Assert.True(runs.ExitCode == 0, runs.All);
        Assert.Contains("batch in flight", runs.Stdout);
        Assert.Contains(batchId, runs.Stdout);
        Assert.Contains("in_progress", runs.Stdout);

        var polls = batches.Batches[0].Polls;
        using var second = AdaemProcess.Start(evaluate, env, _dir.Path);
        var done = second.Process.WaitForExitAsync(Ct);
        // The rerun looks at the stored batch (after the killed process's claims went stale); then the provider finishes it.
        await Poll.UntilAsync(
            () => batches.Batches[0].Polls > polls,
            "the rerun to look at the stored batch",
            done,
            details: () => second.StandardError
        );
        batches.Hold = false;
        await done;
        second.Process.WaitForExit();

        Assert.True(second.Process.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.Contains($"evaluate done: answers judged {2 * Questions}/{2 * Questions} (100%)", second.StandardOutput);
        Assert.Single(batches.Batches);
        Assert.Equal(1, batches.Uploads);
        Assert.Equal(0, batches.DirectCalls);
        Assert.Equal(Questions, BatchedAnswers(batchId));
        Assert.Empty(BatchesInFlight());
        Assert.True(File.Exists(_dir.Sub("out", "main", "scores.csv")));
    }

    [Fact]
    public async Task Generation_scores_its_seeds_together_so_a_batched_scorer_gets_them_in_one_batch()
    {
        await using var server = await OpenAIStub.StartAsync(Ct);
        var batches = new BatchStub(server) { Answer = _ => StubBatchAnswer.Succeeded(Opinion) };
        const int arms = 6;
        // Six seeds, more than the four scored at once without batch mode; the window is long, so only a full batch is sent.
        var config = _dir.Write(
            "adaem.yaml",
            $$"""
            store: adaem.db
            models:
              remote: {{BatchRemote(server, arms, windowSeconds: 600)}}
              e1:     { provider: simulated, seed: 11 }
              e2:     { provider: simulated, seed: 12 }
              judge:  { provider: simulated, seed: 99 }
            judge: { model: judge }
            generation: { explorers: [e1, e2], scorers: [e1, remote], budget: 0, max_arms: {{arms}} }
            """
        );

        var r = await CliProcess.RunAsync(_dir.Path, Environment(), "generate", "-c", config, "--quiet");

        Assert.True(r.ExitCode == 0, r.All);
        var batch = Assert.Single(batches.Batches);
        Assert.Equal(arms, batch.Requests.Count);
        Assert.Equal(0, batches.DirectCalls);
    }

    [Fact]
    public async Task Batch_mode_on_a_provider_without_a_batch_api_stops_at_its_line_with_exit_2()
    {
        var config = _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              local:  { provider: simulated, seed: 7 }
              llama:
                provider: ollama
                model: "llama3.1:8b"
                batch: true
              judge:  { provider: simulated, seed: 99 }
            judge: { model: judge }
            evaluation: { targets: [local, llama] }
            """
        );

        var r = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--quiet");

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"{config}:7: ", r.Stderr);
        Assert.Contains("model 'llama' (ollama) has no batch API", r.Stderr);
        Assert.Contains("Fix:", r.Stderr);
        Assert.False(File.Exists(Store));
    }

    /// <summary>Ids of the batches the store has not collected yet, read from the file another process writes.</summary>
    private List<string> BatchesInFlight() => Query("SELECT id FROM batches WHERE collected_at IS NULL", r => r.GetString(0));

    /// <summary>Answers of the remote target that came from <paramref name="batchId"/>.</summary>
    private long BatchedAnswers(string batchId) =>
        Query($"SELECT COUNT(*) FROM model_calls WHERE model = 'remote' AND error IS NULL AND batch_id = '{batchId}'", r => r.GetInt64(0))
            .Single();

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        if (!File.Exists(Store))
            return rows;
        try
        {
            var connection = new SqliteConnectionStringBuilder
            {
                DataSource = Store,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            };
            using var c = new SqliteConnection(connection.ToString());
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            while (r.Read())
                rows.Add(read(r));
        }
        catch (SqliteException)
        {
            // Not created or migrated yet, or busy for a moment: nothing to read this time.
        }
        return rows;
    }
}
