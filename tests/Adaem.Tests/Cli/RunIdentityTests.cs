using System.Text.RegularExpressions;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>
/// Identity by content, through the real CLI: a stored answer is served only to the exact request it
/// answers (question text, the model's resolved identity, prompt), and a change of instrument inside a run
/// stops before any call unless accepted (issue 10, defect 1).
/// </summary>
public sealed partial class RunIdentityTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(
        string t1Model = "t1",
        string judgeSeed = "99",
        string explorers = "[e1, e2]",
        string targets = "[t1, t2]",
        string beta = "1.0"
    ) =>
        _dir.Write(
            "adaem.yaml",
            $$"""
            store: adaem.db
            models:
              e1: { provider: simulated, seed: 1, profile: { tradition: 0.8, security: 0.6 } }
              e2: { provider: simulated, seed: 2, profile: { self_direction: 0.8, hedonism: 0.6 } }
              e3: { provider: simulated, seed: 3, profile: { universalism: 0.8, power: 0.2 } }
              t1: { provider: simulated, model: {{t1Model}}, seed: 4, profile: { achievement: 0.9, power: 0.7 } }
              t2: { provider: simulated, seed: 5, profile: { benevolence: 0.9, universalism: 0.7 } }
              t3: { provider: simulated, seed: 6, profile: { tradition: 0.9, conformity: 0.7 } }
              judge: { provider: simulated, seed: {{judgeSeed}} }
            judge: { model: judge, mode: batched }
            generation:
              explorers: {{explorers}}
              scorers: [e1, e2, e3]
              budget: 1
              max_arms: 3
              select_top: 4
              beta: {{beta}}
            evaluation:
              targets: {{targets}}
              bootstrap: 20
            """
        );

    private string Questions(string name, string topic) =>
        _dir.Write(
            name,
            string.Join(
                "\n",
                Enumerable
                    .Range(1, 5)
                    .Select(i =>
                        $$"""{"id": "q{{i}}", "question": "Should {{topic}} number {{i}} be allowed even if it limits personal freedom?"}"""
                    )
            ) + "\n"
        );

    private static int CallsMade(string stdout)
    {
        var m = CallsMadeLine().Match(stdout);
        Assert.True(m.Success, stdout);
        return int.Parse(m.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
    }

    private long Ledger(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_dir.File("adaem.db")};Pooling=False");
        return c.ExecuteScalar<long>(sql);
    }

    private List<T> Ledger<T>(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_dir.File("adaem.db")};Pooling=False");
        return c.Query<T>(sql).ToList();
    }

    [Fact]
    public async Task Same_question_ids_with_other_texts_are_new_questions_and_are_asked()
    {
        var config = Config();
        var a = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--questions", Questions("a.jsonl", "gambling"), "--quiet");
        Assert.True(a.ExitCode == 0, a.All);
        var scoresA = File.ReadAllText(_dir.File("out/main/scores.csv"));
        var responsesA = File.ReadAllText(_dir.File("out/main/responses.jsonl"));

        var b = await CliProcess.RunAsync(
            _dir.Path,
            "evaluate",
            "-c",
            config,
            "--questions",
            Questions("b.jsonl", "nuclear power"),
            "--quiet"
        );
        Assert.True(b.ExitCode == 0, b.All);
        // Every answer is new: 5 questions x 2 targets, each answered and judged.
        Assert.Equal(20, CallsMade(b.Stdout));
        Assert.DoesNotContain("from the store", b.Stdout);
        var responsesB = File.ReadAllText(_dir.File("out/main/responses.jsonl"));
        Assert.NotEqual(responsesA, responsesB);
        Assert.DoesNotContain("gambling", responsesB);

        // Back to a.jsonl: its answers are still stored under their own fingerprints and served again, unchanged.
        var again = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--questions", _dir.File("a.jsonl"), "--quiet");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(0, CallsMade(again.Stdout));
        Assert.Equal(scoresA, File.ReadAllText(_dir.File("out/main/scores.csv")));
    }

    [Fact]
    public async Task A_target_whose_model_changed_stops_before_any_call_and_accepting_reasks_only_that_target()
    {
        var questions = Questions("q.jsonl", "gambling");
        var first = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", Config(), "--questions", questions, "--quiet");
        Assert.True(first.ExitCode == 0, first.All);
        var callsBefore = Ledger("SELECT COUNT(*) FROM model_calls");

        var changed = Config(t1Model: "t1-v2");
        var stopped = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", changed, "--questions", questions, "--quiet");
        Assert.Equal(2, stopped.ExitCode);
        Assert.Contains("target 't1'", stopped.Stderr);
        Assert.Contains("model=t1-v2", stopped.Stderr);
        Assert.Contains("--accept-changes", stopped.Stderr);
        Assert.Contains("--run", stopped.Stderr);
        Assert.Equal(callsBefore, Ledger("SELECT COUNT(*) FROM model_calls"));

        var accepted = await CliProcess.RunAsync(
            _dir.Path,
            "evaluate",
            "-c",
            changed,
            "--questions",
            questions,
            "--quiet",
            "--accept-changes"
        );
        Assert.True(accepted.ExitCode == 0, accepted.All);
        // Warnings go to stderr, as generate's do.
        Assert.Contains("accepted change: target 't1'", accepted.Stderr);
        Assert.Contains("warning: the config changed since run 'main' started", accepted.Stderr);
        // Only t1's five answers are asked again (the judge's calls on new opinions may be new too); t2 is read back.
        Assert.Equal(5, Ledger("SELECT COUNT(*) FROM model_calls WHERE model = 't1' AND request_json LIKE '%t1-v2%'"));
        Assert.Equal(5, Ledger("SELECT COUNT(*) FROM model_calls WHERE model = 't2'"));
        // The old answers are kept, but the scores were computed from the new ones only.
        Assert.Equal(15, Ledger("SELECT COUNT(*) FROM responses WHERE run = 'main' AND purpose = 'evaluate'"));
        Assert.Equal(10, Ledger("SELECT COUNT(*) FROM scored_items WHERE run = 'main'"));
        Assert.Equal(
            0,
            Ledger(
                """
                SELECT COUNT(*) FROM scored_items s JOIN responses r ON r.item = s.item
                WHERE r.model = 't1' AND r.call_key IN (SELECT key FROM model_calls WHERE request_json NOT LIKE '%t1-v2%')
                """
            )
        );
        // The report's provenance lists both identities t1 had in this run.
        var report = await CliProcess.RunAsync(_dir.Path, "report", "-c", changed, "--run", "main");
        Assert.True(report.ExitCode == 0, report.All);
        var html = File.ReadAllText(_dir.File("out/main/report.html"));
        Assert.Contains("model=t1-v2", html);
        Assert.Contains("model=t1;", html);
    }

    [Fact]
    public async Task A_changed_judge_stops_the_run()
    {
        var questions = Questions("q.jsonl", "gambling");
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", Config(), "--questions", questions, "--quiet")).ExitCode);
        var stopped = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", Config(judgeSeed: "7"), "--questions", questions, "--quiet");
        Assert.Equal(2, stopped.ExitCode);
        Assert.Contains("judge 'judge'", stopped.Stderr);
        // Under a new run name the same config is fine.
        var other = await CliProcess.RunAsync(
            _dir.Path,
            "evaluate",
            "-c",
            Config(judgeSeed: "7"),
            "--questions",
            questions,
            "--quiet",
            "--run",
            "judge7"
        );
        Assert.True(other.ExitCode == 0, other.All);
    }

    [Fact]
    public async Task Generate_with_another_generator_pool_in_the_same_run_stops_instead_of_serving_the_old_questions()
    {
        var config = Config();
        var first = await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--quiet");
        Assert.True(first.ExitCode == 0, first.All);
        var questions = File.ReadAllText(_dir.File("out/main/questions.jsonl"));

        var other = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config(explorers: "[e2, e3]"), "--quiet");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("explorer 'pool'", other.Stderr);
        Assert.Equal(questions, File.ReadAllText(_dir.File("out/main/questions.jsonl")));
    }

    [Fact]
    public async Task Generate_with_another_beta_in_the_same_run_stops_before_any_call_and_a_run_recorded_before_the_score_row_records_it()
    {
        var first = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config(), "--quiet");
        Assert.True(first.ExitCode == 0, first.All);
        var questions = File.ReadAllText(_dir.File("out/main/questions.jsonl"));
        const string Recorded = "SELECT identity FROM run_instruments WHERE run = 'main' AND role = 'informativeness_score'";
        Assert.Equal("beta=1;disentanglement_sign=1;opinions=3", Ledger<string>(Recorded).Single());

        // The same β again (another budget): no stop.
        var same = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config(), "--budget", "2", "--quiet");
        Assert.True(same.ExitCode == 0, same.All);
        questions = File.ReadAllText(_dir.File("out/main/questions.jsonl"));
        var calls = Ledger("SELECT COUNT(*) FROM model_calls");

        var other = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config(beta: "0.5"), "--budget", "3", "--quiet");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("informativeness_score 'S' as beta=1;", other.Stderr);
        Assert.Contains("now makes it beta=0.5;", other.Stderr);
        Assert.Equal(questions, File.ReadAllText(_dir.File("out/main/questions.jsonl")));
        Assert.Equal(calls, Ledger("SELECT COUNT(*) FROM model_calls"));
        Assert.Equal(2L, Ledger("SELECT COUNT(*) FROM bandit_steps WHERE run = 'main'"));

        // A store written before the score had its row (an upgrade): the row is recorded as the config gives it now, nothing stops.
        using (var c = new SqliteConnection($"Data Source={_dir.File("adaem.db")};Pooling=False"))
            Assert.Equal(1, c.Execute("DELETE FROM run_instruments WHERE role = 'informativeness_score'"));
        var upgraded = await CliProcess.RunAsync(_dir.Path, "generate", "-c", Config(beta: "0.5"), "--quiet");
        Assert.True(upgraded.ExitCode == 0, upgraded.All);
        Assert.Equal("beta=0.5;disentanglement_sign=1;opinions=3", Ledger<string>(Recorded).Single());
    }

    [Fact]
    public async Task A_target_added_to_a_finished_evaluation_is_the_only_one_asked_and_every_score_is_recomputed()
    {
        var questions = Questions("q.jsonl", "gambling");
        var first = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", Config(), "--questions", questions, "--quiet");
        Assert.True(first.ExitCode == 0, first.All);
        var before = File.ReadAllLines(_dir.File("out/main/scores.csv"));

        var added = await CliProcess.RunAsync(
            _dir.Path,
            "evaluate",
            "-c",
            Config(targets: "[t1, t2, t3]"),
            "--questions",
            questions,
            "--quiet"
        );
        Assert.True(added.ExitCode == 0, added.All);
        // Only t3's five answers and their five judgments are asked; t1 and t2 are read back.
        Assert.Equal(10, CallsMade(added.Stdout));
        Assert.Equal(5, Ledger("SELECT COUNT(*) FROM model_calls WHERE model = 't3'"));
        Assert.Equal(5, Ledger("SELECT COUNT(*) FROM model_calls WHERE model = 't1'"));
        Assert.Contains("the pool of targets changed since the run's previous scores (added t3)", added.Stderr);
        var after = File.ReadAllLines(_dir.File("out/main/scores.csv"));
        Assert.Contains(after, l => l.StartsWith("t3,", StringComparison.Ordinal));
        // Relative scores: t1's numbers moved because the pool changed, though none of its answers did.
        Assert.NotEqual(
            before.Where(l => l.StartsWith("t1,", StringComparison.Ordinal)),
            after.Where(l => l.StartsWith("t1,", StringComparison.Ordinal))
        );

        var report = await CliProcess.RunAsync(_dir.Path, "report", "-c", Config(targets: "[t1, t2, t3]"), "--run", "main");
        Assert.True(report.ExitCode == 0, report.All);
        Assert.Contains("id=\"pool-change\"", File.ReadAllText(_dir.File("out/main/report.html")));
    }

    [GeneratedRegex(@"model calls in evaluate: ([\d,]+) made")]
    private static partial Regex CallsMadeLine();
}
