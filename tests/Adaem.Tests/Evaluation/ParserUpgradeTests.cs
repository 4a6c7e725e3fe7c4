using System.Text.Json;
using Adaem.Pipeline;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// After a parser upgrade (no parse stored under the current parser version) every answer is asked again through the
/// call cache, on the simulated pool behind the real engine and a real SQLite store: the asks made before are served
/// from the cache (no model is asked), and the answers are what the asks give, as in a fresh run, whatever the stored
/// last reply says.
/// </summary>
public sealed class ParserUpgradeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Config() =>
        TestConfig
            .Create("x.db")
            .Simulated("t1", 1, "tradition: 0.8, security: 0.6")
            .Simulated("t2", 2, "self_direction: 0.8, hedonism: 0.6")
            .SimulatedJudge()
            .Evaluation("targets: [t1, t2]", "bootstrap: 20")
            .WriteTo(_dir);

    private string Questions() =>
        _dir.Write(
            "questions.jsonl",
            string.Join(
                '\n',
                Enumerable
                    .Range(1, 6)
                    .Select(i =>
                        JsonSerializer.Serialize(new { id = $"q{i}", question = $"Should town {i} keep its old festival customs?" })
                    )
            ) + "\n"
        );

    private static async Task<EvaluateResult> EvaluateAsync(string config, string questions)
    {
        using var study = Study.Open(config);
        return await study.EvaluateAsync(await study.LoadQuestionsAsync(questions, null, Ct), null, Ct);
    }

    /// <summary>As after an upgrade of the opinion parser: no parse (and so no judgment) under the current versions.
    /// <paramref name="rawText"/> replaces every stored last reply.</summary>
    private void ForgetParses(string? rawText = null)
    {
        SqliteConnection.ClearAllPools();
        using var c = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "x.db")}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM parsed_responses; DELETE FROM judgments;";
        if (rawText is not null)
        {
            cmd.CommandText += " UPDATE responses SET raw_text = $raw;";
            cmd.Parameters.AddWithValue("$raw", rawText);
        }
        cmd.ExecuteNonQuery();
    }

    private static IEnumerable<string> Answers(EvaluateResult r) =>
        r.Responses.Select(x =>
            $"{x.QuestionId}|{x.Model}|{x.Failure}|{x.Response?.Stance}|{string.Join(";", x.Response?.Opinions.Select(o => o.Text) ?? [])}"
        );

    [Fact]
    public async Task A_new_parser_replays_the_asks_from_the_cache_and_asks_no_model()
    {
        var config = Config();
        var questions = Questions();
        var first = await EvaluateAsync(config, questions);
        Assert.True(first.Calls!.Calls > 0);
        Assert.All(first.Responses, r => Assert.False(r.Failed, r.Failure));

        ForgetParses();
        var again = await EvaluateAsync(config, questions);

        Assert.Equal(Answers(first), Answers(again));
        Assert.Equal(0, again.Calls!.Calls);
        // Each answer and each judgment came back from the cache.
        Assert.Equal(first.Calls.Calls, again.Calls.CacheHits);
    }

    [Fact]
    public async Task The_answers_follow_the_replayed_asks_not_the_stored_last_reply()
    {
        var config = Config();
        var questions = Questions();
        var first = await EvaluateAsync(config, questions);

        // A stored last reply that no parser reads: parsing it would record every item as a failure.
        ForgetParses("(no answer)");
        var again = await EvaluateAsync(config, questions);

        Assert.Equal(Answers(first), Answers(again));
        Assert.Equal(0, again.Calls!.Calls);
    }
}
