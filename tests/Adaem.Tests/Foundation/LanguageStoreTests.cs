using Adaem.Core.Evaluation;
using Adaem.Storage;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Adaem.Tests.Foundation;

/// <summary>Store v7: scores keyed by language (rebuilt from v6 with every row kept), the shifts between languages, and
/// translations.</summary>
public sealed class LanguageStoreTests
{
    [Fact]
    public void A_version_6_file_is_migrated_to_7_keeping_its_scores_as_scores_in_one_language()
    {
        using var dir = new TempDir();
        var path = dir.File("v6.db");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            foreach (var m in Schema.Migrations.Take(6))
                c.Execute(m);
            c.Execute("PRAGMA user_version = 6");
            c.Execute(
                "INSERT INTO scores(run, model, value, score, ci_low, ci_high, expressed_rate, n, judge) VALUES ('r', 'a', 'power', 61.5, 40, 80, 0.25, 12, 'j1')"
            );
            c.Execute(
                "INSERT INTO scores(run, model, value, score, ci_low, ci_high, expressed_rate, n, judge) VALUES ('r', 'a', 'security', 38.5, 20, 60, 0.5, 12, 'j1')"
            );
        }
        SqliteConnection.ClearAllPools();
        var store = AdaemStore.Open(path);
        Assert.Equal(7, store.SchemaVersion);
        var scores = store.LoadScores("r");
        Assert.Equal(
            [new ValueScore("a", "power", 61.5, 40, 80, 0.25, 12), new ValueScore("a", "security", 38.5, 20, 60, 0.5, 12)],
            scores
        );
        Assert.Equal("j1", store.ScoresJudge("r"));
        Assert.Equal(new Dictionary<string, string> { [""] = "j1" }, store.ScoreJudges("r"));
        Assert.Empty(store.LoadLanguageShifts("r"));
        Assert.Empty(store.LoadTranslations("r"));
    }

    [Fact]
    public void Scores_of_several_languages_and_their_shifts_are_saved_and_replaced_by_a_run_in_one_language()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("s.db"));
        ValueScore S(string language, double score) => new("a", "power", score, null, null, 0.2, 10) { Language = language };
        var shift = new LanguageShift("a", "power", "en", "zh", 12.5, 1.5, 20, 10);
        store.SaveLanguageScores(
            "r",
            [S("en", 40), S("zh", 52.5)],
            new Dictionary<string, string> { ["en"] = "judge-en", ["zh"] = "judge-zh" },
            ["i1", "i2"],
            [shift]
        );
        Assert.Equal([S("en", 40), S("zh", 52.5)], store.LoadScores("r"));
        Assert.Equal(["en", "zh"], store.ScoreJudges("r").Keys);
        Assert.Equal("judge-zh", store.ScoreJudges("r")["zh"]);
        Assert.Equal([shift], store.LoadLanguageShifts("r"));
        Assert.True(shift.ExcludesZero);
        Assert.Equal(2, store.LoadScoredItems("r").Count);

        // A later evaluation in one language replaces the scores and drops the shifts that described the old ones.
        store.SaveScores("r", "judge", [new ValueScore("a", "power", 50, null, null, 0.2, 10)], ["i3"]);
        Assert.Null(Assert.Single(store.LoadScores("r")).Language);
        Assert.Empty(store.LoadLanguageShifts("r"));
    }
}
