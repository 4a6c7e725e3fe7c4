using Adaem.Core.Generation;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Storage;

/// <summary>
/// The generation loop's records: arms (seeds rows with arm = 1), seeds from seed expansion (arm = 0 until
/// chosen), every candidate question and the bandit steps.
/// </summary>
public sealed partial class AdaemStore : IGenerationRecords
{
    private const string QuestionColumns = """
        id AS Id, arm AS Arm, question AS Question, argument AS Argument, seed AS Seed, category AS Category,
        generator AS Generator, parent AS Parent, step AS Step, depth AS Depth, status AS Status, reason AS Reason,
        fast_score AS FastScore, final_score AS FinalScore, components_json AS ComponentsJson
        """;

    private const string UpsertQuestion = """
        INSERT INTO questions(run, id, arm, question, argument, seed, category, generator, parent, step, depth, status, reason,
                              fast_score, final_score, components_json, created_at)
        VALUES (@run, @Id, @Arm, @Question, @Argument, @Seed, @Category, @Generator, @Parent, @Step, @Depth, @Status, @Reason,
                @FastScore, @FinalScore, @ComponentsJson, @now)
        ON CONFLICT(run, id) DO UPDATE SET
            arm = excluded.arm, question = excluded.question, argument = excluded.argument, seed = excluded.seed,
            category = excluded.category, generator = excluded.generator, parent = excluded.parent, step = excluded.step,
            depth = excluded.depth, status = excluded.status, reason = excluded.reason, fast_score = excluded.fast_score,
            final_score = excluded.final_score, components_json = excluded.components_json
        """;

    public IReadOnlyList<Seed> LoadArms(string run)
    {
        using var c = Connect();
        return c.Query<SeedRow>($"SELECT {SeedColumns} FROM seeds WHERE run = @run AND arm = 1", new { run })
            .Select(ToSeed)
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<Seed> LoadExpandedSeeds(string run)
    {
        using var c = Connect();
        return c.Query<SeedRow>(
                $"SELECT {SeedColumns} FROM seeds WHERE run = @run AND source LIKE @prefix",
                new { run, prefix = SeedExpansion.SourcePrefix + "%" }
            )
            .Select(ToSeed)
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
    }

    public void SaveExpandedSeeds(string run, IReadOnlyList<Seed> seeds) => SaveSeeds(run, seeds, arm: false);

    private const string SeedColumns = "id AS Id, question AS Question, argument AS Argument, category AS Category, source AS Source";

    private static Seed ToSeed(SeedRow r) =>
        new(r.Id, r.Question)
        {
            Argument = r.Argument,
            Category = r.Category,
            Source = r.Source,
        };

    public void SaveArms(string run, IReadOnlyList<Seed> arms) => SaveSeeds(run, arms, arm: true);

    /// <summary>Inserts or updates seeds in one transaction. The arm flag only goes up: a seed already chosen as an arm stays
    /// one.</summary>
    private void SaveSeeds(string run, IReadOnlyList<Seed> seeds, bool arm)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction();
        foreach (var s in seeds)
        {
            c.Execute(
                """
                INSERT INTO seeds(run, id, question, argument, category, source, arm) VALUES (@run, @Id, @Question, @Argument, @Category, @Source, @arm)
                ON CONFLICT(run, id) DO UPDATE SET question = excluded.question, argument = excluded.argument,
                    category = excluded.category, source = excluded.source, arm = MAX(arm, excluded.arm)
                """,
                new
                {
                    run,
                    s.Id,
                    s.Question,
                    s.Argument,
                    s.Category,
                    s.Source,
                    arm = arm ? 1 : 0,
                },
                tx
            );
        }
        tx.Commit();
    }

    public IReadOnlyList<QuestionRecord> LoadQuestions(string run)
    {
        using var c = Connect();
        return c.Query<QuestionRecord>($"SELECT {QuestionColumns} FROM questions WHERE run = @run ORDER BY id", new { run }).AsList();
    }

    public void SaveQuestions(string run, IReadOnlyList<QuestionRecord> questions)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction();
        WriteQuestions(c, tx, run, questions);
        tx.Commit();
    }

    public IReadOnlyList<BanditStepRecord> LoadSteps(string run)
    {
        using var c = Connect();
        return c.Query<BanditStepRecord>(
                "SELECT step AS Step, arm AS Arm, reward AS Reward, pulls AS Pulls, mean_reward AS MeanReward, state_json AS StateJson FROM bandit_steps WHERE run = @run ORDER BY step",
                new { run }
            )
            .AsList();
    }

    public void SaveStep(string run, BanditStepRecord step, IReadOnlyList<QuestionRecord> questions) => SaveRound(run, [(step, questions)]);

    public void SaveRound(string run, IReadOnlyList<(BanditStepRecord Step, IReadOnlyList<QuestionRecord> Questions)> steps)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction();
        foreach (var (step, questions) in steps)
        {
            WriteQuestions(c, tx, run, questions);
            c.Execute(
                """
                INSERT INTO bandit_steps(run, step, arm, reward, pulls, mean_reward, state_json, created_at)
                VALUES (@run, @Step, @Arm, @Reward, @Pulls, @MeanReward, @StateJson, @now)
                """,
                new
                {
                    run,
                    step.Step,
                    step.Arm,
                    step.Reward,
                    step.Pulls,
                    step.MeanReward,
                    step.StateJson,
                    now = Now(),
                },
                tx
            );
        }
        tx.Commit();
    }

    // One prepared command for all rows of a step: re-preparing the upsert per row costs more than the write.
    private static void WriteQuestions(SqliteConnection c, SqliteTransaction tx, string run, IReadOnlyList<QuestionRecord> questions)
    {
        if (questions.Count == 0)
            return;
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = UpsertQuestion;
        string[] names =
        [
            "@run",
            "@Id",
            "@Arm",
            "@Question",
            "@Argument",
            "@Seed",
            "@Category",
            "@Generator",
            "@Parent",
            "@Step",
            "@Depth",
            "@Status",
            "@Reason",
            "@FastScore",
            "@FinalScore",
            "@ComponentsJson",
            "@now",
        ];
        var p = names.Select(n => cmd.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        cmd.Prepare();
        var now = Now();
        foreach (var q in questions)
        {
            object?[] values =
            [
                run,
                q.Id,
                q.Arm,
                q.Question,
                q.Argument,
                q.Seed,
                q.Category,
                q.Generator,
                q.Parent,
                q.Step,
                q.Depth,
                q.Status,
                q.Reason,
                q.FastScore,
                q.FinalScore,
                q.ComponentsJson,
                now,
            ];
            for (var i = 0; i < p.Length; i++)
                p[i].Value = values[i] ?? DBNull.Value;
            cmd.ExecuteNonQuery();
        }
    }

    private sealed record SeedRow
    {
        public string Id { get; init; } = "";
        public string Question { get; init; } = "";
        public string? Argument { get; init; }
        public string? Category { get; init; }
        public string? Source { get; init; }
    }
}
