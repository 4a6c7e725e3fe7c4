using System.Collections.Concurrent;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Storage;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// The writer that takes an evaluation's per-item records off the items' path, against real SQLite files: what
/// it was given is in the store when a batch ends (also a cancelled one), loads see every save, and a write
/// that fails is thrown, not dropped.
/// </summary>
public sealed class EvaluationRecordWriterTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string DbPath => Path.Combine(_temp.Path, "adaem.db");

    private static RawResponseRecord Raw(string item, string text) =>
        new()
        {
            Run = "r",
            Purpose = Purposes.Evaluate,
            QuestionId = "q1",
            Model = "m",
            Item = item,
            RawText = text,
        };

    private static JudgmentRecord Judgment(string item) =>
        new()
        {
            Run = "r",
            Purpose = Purposes.Evaluate,
            QuestionId = "q1",
            Model = "m",
            Item = item,
            Judge = "j",
            Mode = JudgeConfig.Batched,
            Ok = true,
            LabelsJson = "[[]]",
        };

    [Fact]
    public async Task Saves_are_in_the_store_after_a_flush_and_a_load_sees_them_without_one()
    {
        var store = AdaemStore.Open(DbPath);
        using var writer = new EvaluationRecordWriter(store);
        for (var i = 0; i < 1000; i++)
            writer.SaveRawResponse(Raw($"item{i}", $"first {i}"));
        writer.SaveRawResponse(Raw("item7", "second 7"));

        // A load through the writer waits for the saves before it.
        var loaded = writer.LoadRawResponses("r", Purposes.Evaluate);
        Assert.Equal(1000, loaded.Count);
        Assert.Equal("second 7", loaded.Single(r => r.Item == "item7").RawText);

        writer.SaveJudgment(Judgment("item1"));
        await writer.FlushAsync();
        // Read through another store object (its own connections), as the next process would.
        Assert.Single(AdaemStore.Open(DbPath).LoadJudgments("r", Purposes.Evaluate, "j", JudgeConfig.Batched));
    }

    [Fact]
    public async Task A_write_that_fails_is_thrown_by_the_flush_and_every_later_save()
    {
        var store = AdaemStore.Open(DbPath);
        using (var c = new SqliteConnection($"Data Source={DbPath}"))
            c.Execute("CREATE TRIGGER refuse BEFORE INSERT ON judgments BEGIN SELECT RAISE(ABORT, 'judgments refused by the test'); END");
        using var writer = new EvaluationRecordWriter(store);
        writer.SaveRawResponse(Raw("a", "text"));
        writer.SaveJudgment(Judgment("a"));

        var flushed = await Assert.ThrowsAsync<InvalidOperationException>(writer.FlushAsync);
        Assert.Contains("judgments refused by the test", flushed.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(flushed.InnerException);
        Assert.Throws<InvalidOperationException>(() => writer.SaveRawResponse(Raw("b", "text")));
        Assert.Throws<InvalidOperationException>(() => writer.LoadRawResponses("r", Purposes.Evaluate));
    }

    [Fact]
    public async Task A_failed_write_stops_the_evaluation_with_its_error()
    {
        var store = AdaemStore.Open(DbPath);
        using (var c = new SqliteConnection($"Data Source={DbPath}"))
            c.Execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON parsed_responses BEGIN SELECT RAISE(ABORT, 'parsed responses refused by the test'); END"
            );
        using var writer = new EvaluationRecordWriter(store);
        var judging = new OpinionJudging(Respondents.Pool(), writer, Respondents.Theory, new JudgeSettings("judge", JudgeConfig.Batched));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            judging.EvaluateAsync(
                "r",
                Purposes.Evaluate,
                Respondents.Questions(20),
                [.. Respondents.Profiles.Keys],
                null,
                TestContext.Current.CancellationToken
            )
        );
        Assert.Contains("parsed responses refused by the test", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_record_saved_before_a_cancellation_is_in_the_store_when_the_evaluation_returns()
    {
        var store = AdaemStore.Open(DbPath);
        using var writer = new EvaluationRecordWriter(store);
        // Another connection holds the store's write lock until the run asks for its saves to be written, so
        // nothing the run saved is committed before that: without the flush, every record would still be queued.
        using var blocker = new SqliteConnection($"Data Source={DbPath}");
        blocker.Open();
        using var held = blocker.BeginTransaction(deferred: false);
        var counted = new CountingRecords(writer) { BeforeFlush = held.Rollback };
        var pool = Respondents.Pool();
        using var cts = new CancellationTokenSource();
        var finished = 0;
        pool.AfterCall = _ =>
        {
            if (Interlocked.Increment(ref finished) == 12)
                cts.Cancel();
        };
        var judging = new OpinionJudging(
            pool,
            counted,
            Respondents.Theory,
            new JudgeSettings("judge", JudgeConfig.Batched),
            new OpinionJudgingOptions { MaxConcurrency = 4 }
        );

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            judging.EvaluateAsync("r", Purposes.Evaluate, Respondents.Questions(30), [.. Respondents.Profiles.Keys], null, cts.Token)
        );

        var fresh = AdaemStore.Open(DbPath);
        var judge = judging.Judge;
        var inStore = fresh
            .LoadRawResponses("r", Purposes.Evaluate)
            .Select(r => "raw " + r.Item)
            .Concat(fresh.LoadParsedResponses("r", Purposes.Evaluate, OpinionPrompt.ParserVersion).Select(r => "parsed " + r.Item))
            .Concat(fresh.LoadJudgments("r", Purposes.Evaluate, judge.Identity, judge.Mode).Select(r => "judgment " + r.Item))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(counted.Saved);
        Assert.Equal(counted.Saved.Order(StringComparer.Ordinal), inStore);
    }

    /// <summary>Passes everything on to the writer, noting each record saved.</summary>
    private sealed class CountingRecords(EvaluationRecordWriter inner) : IEvaluationRecords
    {
        private readonly ConcurrentQueue<string> _saved = new();
        private int _flushed;

        public IReadOnlyCollection<string> Saved => _saved;

        /// <summary>Runs once, when the first flush is asked for.</summary>
        public Action? BeforeFlush { get; init; }

        public IReadOnlyList<RawResponseRecord> LoadRawResponses(string run, string purpose, string? questionId = null) =>
            inner.LoadRawResponses(run, purpose, questionId);

        public IReadOnlyList<ParsedResponseRecord> LoadParsedResponses(
            string run,
            string purpose,
            string parserVersion,
            string? questionId = null
        ) => inner.LoadParsedResponses(run, purpose, parserVersion, questionId);

        public IReadOnlyList<JudgmentRecord> LoadJudgments(
            string run,
            string purpose,
            string judge,
            string mode,
            string? questionId = null
        ) => inner.LoadJudgments(run, purpose, judge, mode, questionId);

        public void SaveRawResponse(RawResponseRecord record)
        {
            inner.SaveRawResponse(record);
            _saved.Enqueue("raw " + record.Item);
        }

        public void SaveParsedResponse(ParsedResponseRecord record)
        {
            inner.SaveParsedResponse(record);
            _saved.Enqueue("parsed " + record.Item);
        }

        public void SaveJudgment(JudgmentRecord record)
        {
            inner.SaveJudgment(record);
            _saved.Enqueue("judgment " + record.Item);
        }

        public void SaveScores(string run, string judge, IReadOnlyList<ValueScore> scores, IReadOnlyCollection<string> items) =>
            inner.SaveScores(run, judge, scores, items);

        public IReadOnlySet<string> LoadScoredItems(string run) => inner.LoadScoredItems(run);

        public IReadOnlyList<ValueScore> LoadScores(string run) => inner.LoadScores(run);

        public Task FlushAsync()
        {
            if (Interlocked.Exchange(ref _flushed, 1) == 0)
                BeforeFlush?.Invoke();
            return inner.FlushAsync();
        }
    }
}
