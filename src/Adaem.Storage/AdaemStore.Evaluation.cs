using Adaem.Core.Evaluation;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Storage;

/// <summary>Evaluation records: raw replies, parsed replies and judgments in their own tables, and scores.</summary>
public sealed partial class AdaemStore : IEvaluationRecords
{
    public IReadOnlyList<RawResponseRecord> LoadRawResponses(string run, string purpose, string? questionId = null)
    {
        using var c = Connect();
        return c.Query<RawResponseRecord>(
                """
                SELECT run, purpose, question_id AS QuestionId, model, sample, item, call_key AS CallKey, raw_text AS RawText, error
                FROM responses WHERE run = @run AND purpose = @purpose AND (@questionId IS NULL OR question_id = @questionId)
                """,
                new
                {
                    run,
                    purpose,
                    questionId,
                }
            )
            .AsList();
    }

    public IReadOnlyList<ParsedResponseRecord> LoadParsedResponses(
        string run,
        string purpose,
        string parserVersion,
        string? questionId = null
    )
    {
        using var c = Connect();
        return c.Query<ParsedResponseRecord>(
                """
                SELECT run, purpose, question_id AS QuestionId, model, sample, item, parser_version AS ParserVersion, stance,
                       opinions_json AS OpinionsJson, parse_ok AS ParseOk, error
                FROM parsed_responses
                WHERE run = @run AND purpose = @purpose AND parser_version = @parserVersion AND (@questionId IS NULL OR question_id = @questionId)
                """,
                new
                {
                    run,
                    purpose,
                    parserVersion,
                    questionId,
                }
            )
            .AsList();
    }

    public IReadOnlyList<JudgmentRecord> LoadJudgments(string run, string purpose, string judge, string mode, string? questionId = null)
    {
        using var c = Connect();
        return c.Query<JudgmentRecord>(
                """
                SELECT run, purpose, question_id AS QuestionId, model, sample, item, judge, mode, labels_json AS LabelsJson, ok, error
                FROM judgments
                WHERE run = @run AND purpose = @purpose AND judge = @judge AND mode = @mode AND (@questionId IS NULL OR question_id = @questionId)
                """,
                new
                {
                    run,
                    purpose,
                    judge,
                    mode,
                    questionId,
                }
            )
            .AsList();
    }

    public void SaveRawResponse(RawResponseRecord record) => SaveRecords([record], [], []);

    public void SaveParsedResponse(ParsedResponseRecord record) => SaveRecords([], [record], []);

    public void SaveJudgment(JudgmentRecord record) => SaveRecords([], [], [record]);

    /// <summary>
    /// Writes evaluation records in one transaction (each replaces the record with the same key; within a table
    /// the later of two with one key wins). Takes this store's write gate, so it never waits on SQLite's lock for
    /// the ledger writer of this process (<see cref="ApplyLedgerBatch"/>).
    /// </summary>
    internal void SaveRecords(
        IReadOnlyList<RawResponseRecord> raw,
        IReadOnlyList<ParsedResponseRecord> parsed,
        IReadOnlyList<JudgmentRecord> judgments
    )
    {
        if (raw.Count + parsed.Count + judgments.Count == 0)
            return;
        lock (WriteGate)
        {
            using var c = Connect();
            using var tx = c.BeginTransaction(deferred: false);
            var now = Now();
            if (raw.Count > 0)
                c.Execute(
                    """
                    INSERT OR REPLACE INTO responses(run, question_id, model, sample, purpose, item, call_key, raw_text, error, created_at)
                    VALUES (@Run, @QuestionId, @Model, @Sample, @Purpose, @Item, @CallKey, @RawText, @Error, @now)
                    """,
                    raw.Select(r => new
                    {
                        r.Run,
                        r.QuestionId,
                        r.Model,
                        r.Sample,
                        r.Purpose,
                        r.Item,
                        r.CallKey,
                        r.RawText,
                        r.Error,
                        now,
                    }),
                    tx
                );
            if (parsed.Count > 0)
                c.Execute(
                    """
                    INSERT OR REPLACE INTO parsed_responses(run, question_id, model, sample, purpose, item, parser_version, stance, opinions_json, parse_ok, error)
                    VALUES (@Run, @QuestionId, @Model, @Sample, @Purpose, @Item, @ParserVersion, @Stance, @OpinionsJson, @ParseOk, @Error)
                    """,
                    parsed,
                    tx
                );
            if (judgments.Count > 0)
                c.Execute(
                    """
                    INSERT OR REPLACE INTO judgments(run, question_id, model, sample, purpose, item, judge, mode, labels_json, ok, error)
                    VALUES (@Run, @QuestionId, @Model, @Sample, @Purpose, @Item, @Judge, @Mode, @LabelsJson, @Ok, @Error)
                    """,
                    judgments,
                    tx
                );
            tx.Commit();
        }
    }

    public void SaveScores(string run, string judge, IReadOnlyList<ValueScore> scores, IReadOnlyCollection<string> items)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        WriteScores(c, tx, run, judge, scores, items);
        tx.Commit();
    }

    /// <summary>
    /// <see cref="SaveScores"/> and <see cref="SaveScoredQuestions"/> in one transaction: the scores and the question texts
    /// they were computed on (which `compare` matches questions by) are replaced together or not at all.
    /// </summary>
    public void SaveScoresAndQuestions(
        string run,
        string judge,
        IReadOnlyList<ValueScore> scores,
        IReadOnlyCollection<string> items,
        IReadOnlyList<Question> questions
    )
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        WriteScores(c, tx, run, judge, scores, items);
        WriteScoredQuestions(c, tx, run, questions);
        tx.Commit();
    }

    private static void WriteScores(
        SqliteConnection c,
        SqliteTransaction tx,
        string run,
        string judge,
        IReadOnlyList<ValueScore> scores,
        IReadOnlyCollection<string> items
    )
    {
        c.Execute("DELETE FROM scores WHERE run = @run", new { run }, tx);
        c.Execute("DELETE FROM scored_items WHERE run = @run", new { run }, tx);
        c.Execute("DELETE FROM language_shifts WHERE run = @run", new { run }, tx);
        c.Execute("INSERT OR IGNORE INTO scored_items(run, item) VALUES (@run, @item)", items.Select(item => new { run, item }), tx);
        c.Execute(
            """
            INSERT INTO scores(run, model, value, score, ci_low, ci_high, expressed_rate, n, judge)
            VALUES (@run, @Model, @Value, @Score, @CiLow, @CiHigh, @ExpressedRate, @N, @judge)
            """,
            scores.Select(s => new
            {
                run,
                s.Model,
                s.Value,
                s.Score,
                s.CiLow,
                s.CiHigh,
                s.ExpressedRate,
                s.N,
                judge,
            }),
            tx
        );
    }

    public IReadOnlyList<ValueScore> LoadScores(string run)
    {
        using var c = Connect();
        return c.Query<ScoreRow>(
                """
                SELECT model, value, score, ci_low AS CiLow, ci_high AS CiHigh, COALESCE(expressed_rate, 0) AS ExpressedRate, n, language
                FROM scores WHERE run = @run ORDER BY rowid
                """,
                new { run }
            )
            .Select(r => new ValueScore(r.Model, r.Value, r.Score, r.CiLow, r.CiHigh, r.ExpressedRate, (int)r.N)
            {
                Language = r.Language is { Length: > 0 } l ? l : null,
            })
            .ToList();
    }

    /// <summary>Replaces the questions (id → text) the run's current scores were computed on.</summary>
    public void SaveScoredQuestions(string run, IReadOnlyList<Question> questions)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        WriteScoredQuestions(c, tx, run, questions);
        tx.Commit();
    }

    private static void WriteScoredQuestions(SqliteConnection c, SqliteTransaction tx, string run, IReadOnlyList<Question> questions)
    {
        c.Execute("DELETE FROM scored_questions WHERE run = @run", new { run }, tx);
        c.Execute(
            "INSERT OR REPLACE INTO scored_questions(run, question_id, question) VALUES (@run, @Id, @Text)",
            questions.Select(q => new
            {
                run,
                q.Id,
                q.Text,
            }),
            tx
        );
    }

    /// <summary>The questions (id → text) the run's current scores were computed on; empty for runs scored before they were
    /// recorded.</summary>
    public IReadOnlyDictionary<string, string> LoadScoredQuestions(string run)
    {
        using var c = Connect();
        return c.Query<(string Id, string Text)>("SELECT question_id, question FROM scored_questions WHERE run = @run", new { run })
            .ToDictionary(x => x.Id, x => x.Text, StringComparer.Ordinal);
    }

    public IReadOnlySet<string> LoadScoredItems(string run)
    {
        using var c = Connect();
        return c.Query<string>("SELECT item FROM scored_items WHERE run = @run", new { run }).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The judge identity the run's scores were computed with, if any.</summary>
    public string? ScoresJudge(string run)
    {
        using var c = Connect();
        return c.ExecuteScalar<string?>("SELECT judge FROM scores WHERE run = @run LIMIT 1", new { run });
    }

    private sealed record ScoreRow
    {
        public string Model { get; init; } = "";
        public string Value { get; init; } = "";
        public double Score { get; init; }
        public double? CiLow { get; init; }
        public double? CiHigh { get; init; }
        public double ExpressedRate { get; init; }
        public long N { get; init; }
        public string? Language { get; init; }
    }
}
