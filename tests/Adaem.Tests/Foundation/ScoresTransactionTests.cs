using Adaem.Core.Evaluation;
using Adaem.Storage;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Adaem.Tests.Foundation;

/// <summary>
/// A run's scores and the question texts they were computed on (which `compare` matches questions by) are written in
/// one transaction: when the second write fails, the first is undone and the run keeps its earlier scores and texts.
/// </summary>
public sealed class ScoresTransactionTests
{
    private static ValueScore S(double score, string? language = null) =>
        new("a", "power", score, null, null, 0.2, 10) { Language = language };

    private static void RefuseScoredQuestions(string path)
    {
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        c.Execute("CREATE TRIGGER refuse BEFORE INSERT ON scored_questions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    }

    [Fact]
    public void Scores_and_their_questions_are_written_together_or_not_at_all()
    {
        using var dir = new TempDir();
        var path = dir.File("s.db");
        var store = AdaemStore.Open(path);
        store.SaveScoresAndQuestions("r", "j1", [S(40)], ["i1"], [new Question("q1", "Old text?")]);
        Assert.Equal([S(40)], store.LoadScores("r"));
        Assert.Equal("Old text?", store.LoadScoredQuestions("r")["q1"]);

        RefuseScoredQuestions(path);
        var refused = Assert.ThrowsAny<SqliteException>(() =>
            store.SaveScoresAndQuestions("r", "j2", [S(70)], ["i2"], [new Question("q1", "New text?")])
        );

        Assert.Contains("refused by the test", refused.Message, StringComparison.Ordinal);
        Assert.Equal([S(40)], store.LoadScores("r"));
        Assert.Equal("j1", store.ScoresJudge("r"));
        Assert.Equal("Old text?", store.LoadScoredQuestions("r")["q1"]);
    }

    [Fact]
    public void Language_scores_and_their_questions_are_written_together_or_not_at_all()
    {
        using var dir = new TempDir();
        var path = dir.File("s.db");
        var store = AdaemStore.Open(path);
        var judges = new Dictionary<string, string> { ["en"] = "judge-en" };
        store.SaveLanguageScores("r", [S(40, "en")], judges, ["i1"], [], [new Question("q1", "Old text?")]);
        Assert.Equal("Old text?", store.LoadScoredQuestions("r")["q1"]);

        RefuseScoredQuestions(path);
        Assert.ThrowsAny<SqliteException>(() =>
            store.SaveLanguageScores("r", [S(70, "en")], judges, ["i2"], [], [new Question("q1", "New text?")])
        );

        Assert.Equal([S(40, "en")], store.LoadScores("r"));
        Assert.Equal("Old text?", store.LoadScoredQuestions("r")["q1"]);
    }
}
