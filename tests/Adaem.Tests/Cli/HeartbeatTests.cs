using Adaem.Cli.Progress;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Pipeline;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// Plain progress is never silent for more than 10 s while a stage runs: a heartbeat says what is in flight,
/// which model was asked to wait and until when, and whether the store is held; the summary line counts the
/// failed answers per model. A manual clock drives the heartbeat timer, so nothing here waits.
/// </summary>
public sealed class HeartbeatTests : IDisposable
{
    public void Dispose()
    {
        _out.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ManualTime _time = new();
    private readonly FixedCalls _calls = new();
    private readonly StringWriter _out = new();

    private string[] Lines => _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private PlainStageProgress Progress()
    {
        var p = new PlainStageProgress("evaluate", _out, TextWriter.Null, _time);
        p.UseCalls(_calls);
        p.StartHeartbeat();
        return p;
    }

    private static CallCount Calls(long calls, long inFlight) =>
        new()
        {
            Calls = calls,
            InputTokens = calls * 100,
            Cost = 0,
            InFlight = inFlight,
        };

    [Fact]
    public void With_no_item_finishing_a_heartbeat_line_every_10_s_says_how_many_calls_are_in_flight()
    {
        using var p = Progress();
        p.StartPhase("answers judged", 800);
        _time.Advance(TimeSpan.FromSeconds(4));
        _calls.Now = Calls(240, inFlight: 16);
        p.Report(120);
        Assert.Equal(2, Lines.Length); // the start and the first tenth

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(2, Lines.Length); // 9.9 s since the last line
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(3, Lines.Length);
        Assert.Equal(
            "evaluate: answers judged 120/800 (15%); 240 calls, 0 cache hits, 17.1 calls/s, 24,000 tokens, cost 0.0000 USD, ETA 1:20; "
                + "16 calls in flight, nothing finished for 10 s",
            Lines[2]
        );

        _time.Advance(TimeSpan.FromSeconds(35));
        Assert.Equal(6, Lines.Length); // at 24, 34 and 44 s
        Assert.EndsWith("16 calls in flight, nothing finished for 40 s", Lines[5]);
    }

    [Fact]
    public void A_server_asking_to_wait_is_announced_at_once_then_shown_by_the_heartbeat_until_the_wait_ends()
    {
        using var p = Progress();
        p.StartPhase("answers judged", 800);
        _calls.Now = Calls(10, inFlight: 16);
        _time.Advance(TimeSpan.FromSeconds(5));

        // Sixteen parallel calls hit the same rate limit: one line for all of them.
        for (var i = 0; i < 16; i++)
            p.Waiting(new CallWait("alpha", TimeSpan.FromSeconds(60 - i * 0.01), true, "rate limited (HTTP 429)", 1));
        Assert.Equal(["evaluate: answers judged: 800 to do", "evaluate: alpha asked to wait 60 s, resuming at 16:01:05"], Lines);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, Lines.Length);
        Assert.EndsWith("; 16 calls in flight, nothing finished for 15 s; alpha asked to wait 60 s, resuming at 16:01:05", Lines[2]);

        // A backoff of another model, and a short one that is only shown by the heartbeat.
        p.Waiting(new CallWait("beta", TimeSpan.FromSeconds(4), false, "server error (HTTP 503)", 2));
        p.Waiting(new CallWait("gamma", TimeSpan.FromSeconds(0.5), false, "server error (HTTP 502)", 1));
        Assert.Equal("evaluate: beta: server error (HTTP 503) on attempt 2, retrying in 4 s at 16:00:19", Lines[3]);
        Assert.Equal(4, Lines.Length);

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("alpha", Lines[^1]); // over at 16:01:05; the last heartbeat is at 16:01:15
        Assert.DoesNotContain("beta", Lines[^1]);
    }

    [Fact]
    public void A_store_write_that_waits_on_another_process_shows_in_the_heartbeat()
    {
        using var p = Progress();
        _calls.Now = Calls(3, inFlight: 2);
        _calls.StoreWait = TimeSpan.FromSeconds(11.2);

        _time.Advance(TimeSpan.FromSeconds(10));

        // Before any phase, the line is the call figures and what the stage waits on.
        Assert.Equal(
            [
                "evaluate: 3 calls, 0 cache hits, 0.3 calls/s, 300 tokens, cost 0.0000 USD; 2 calls in flight, nothing finished for 10 s; "
                    + "the store has been busy for 11 s (another process may be writing to it)",
            ],
            Lines
        );
    }

    [Fact]
    public void A_store_locked_by_another_writer_is_named_when_no_call_is_in_flight()
    {
        using var p = Progress();
        var probes = 0;
        p.WatchStore(() => ++probes > 0);
        p.StartPhase("answers judged", 6);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, probes);
        Assert.EndsWith(
            "; no call in flight, nothing finished for 10 s; the store is locked by another writer (another adaem process?); waiting for it",
            Lines[^1]
        );
    }

    [Fact]
    public void The_store_probe_sees_a_write_lock_held_by_another_connection()
    {
        using var dir = new TempDir();
        var path = dir.File("adaem.db");
        using var store = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        store.Open();
        using (var wal = store.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE t (x);";
            wal.ExecuteNonQuery();
        }
        Assert.False(StoreLockProbe.IsLocked(path));

        using (var begin = store.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }
        Assert.True(StoreLockProbe.IsLocked(path));
        using (var rollback = store.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        Assert.False(StoreLockProbe.IsLocked(path));
        Assert.False(StoreLockProbe.IsLocked(dir.File("missing.db")));
    }

    [Fact]
    public void Disposing_the_progress_stops_its_heartbeat()
    {
        var p = Progress();
        p.StartPhase("answers judged", 10);
        Assert.Equal(1, _time.ActiveTimers);

        p.Dispose();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, _time.ActiveTimers);
        Assert.Single(Lines);
    }

    [Fact]
    public async Task The_summary_line_ends_with_the_failed_answers_per_model()
    {
        using var p = Progress();
        p.StartPhase("answers judged", 8);
        p.Report(8, failed: 6);
        p.Failures.Add([
            Failed("alpha", "parse: no stance"),
            Failed("alpha", "parse: no stance"),
            Failed("alpha", "parse: no stance"),
            Failed("alpha", "judge: unreadable verdict", readable: true),
            Failed("alpha", "judge: unreadable verdict", readable: true),
            Failed("beta", "parse: empty"),
            new JudgedResponse("q9", "beta", 0, new ParsedResponse("yes", []), []),
        ]);
        var tally = new TallyingJudging(new FailingQuestionJudge(), new StageEvents("generate", new StageEventView(p)));
        await Assert.ThrowsAsync<JudgeFailedException>(() => tally.JudgeQuestionAsync("r", "fast_score", new Question("q1", "Why?"), Ct));

        Assert.EndsWith(
            "; failures: alpha 3 unreadable, 2 not judged; beta 1 unreadable; question texts 1 not judged",
            p.Summary(finished: true)
        );
    }

    [Fact]
    public async Task Evaluate_prints_when_a_server_asks_it_to_wait_with_retry_after()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 2, maxRetries: 2);
        stub.Script = r =>
            r.Number == 1 ? StubReply.Error(429, "slow down", "rate_limit_exceeded", retryAfter: "1") : StubEvaluation.Opinion(r);

        var result = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Matches(@"\nevaluate: remote asked to wait 1 s, resuming at \d\d:\d\d:\d\d\r?\n", result.Stdout);
        Assert.Contains("evaluate done: answers judged 4/4 (100%)", result.Stdout);
    }

    private static JudgedResponse Failed(string model, string failure, bool readable = false) =>
        new("q1", model, 0, readable ? new ParsedResponse("yes", []) : null, []) { Failure = failure };

    private sealed class FailingQuestionJudge : IOpinionJudging
    {
        public Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(
            string run,
            string purpose,
            Question question,
            IReadOnlyList<string> models,
            CancellationToken cancellationToken
        ) => Task.FromResult<IReadOnlyList<JudgedResponse>>([]);

        public Task<IReadOnlySet<string>> JudgeQuestionAsync(
            string run,
            string purpose,
            Question question,
            CancellationToken cancellationToken
        ) => throw new JudgeFailedException("judge could not label the values of question q1");
    }
}
