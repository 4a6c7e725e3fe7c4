using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Providers;
using Adaem.Storage;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Generation;

/// <summary>
/// The final score (P2) is a fresh evaluation by the scorers: a model that is both explorer and scorer
/// answers the final score with a new call, not the cached answer that passed the refinement gate.
/// Through the real engine (durable cache, ledger) and the simulated pool.
/// </summary>
public sealed class FinalScoreSampleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_model_in_both_pools_answers_the_final_score_with_a_new_call()
    {
        var path = _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              both: { provider: simulated, seed: 3, profile: { tradition: 0.8, security: 0.6, self_direction: 0.4 } }
              judge: { provider: simulated, seed: 99 }
            judge: { model: judge, mode: batched }
            """
        );
        var config = ConfigLoader.Load(path);
        var store = AdaemStore.Open(config.StorePath);
        var question = new Question("q1", "Should a city ban cars from its historic centre even if it limits personal freedom?");
        using (var pool = ModelPool.Open(config, store))
        {
            var judging = new OpinionJudging(
                pool,
                store,
                Core.Theory.TheoryLoader.Load("schwartz10", _dir.Path),
                new JudgeSettings("judge", JudgeConfig.Batched)
            );
            var fast = await judging.AnswerAndJudgeAsync("r", Purposes.FastScore, question, ["both"], CancellationToken.None);
            var final = await judging.AnswerAndJudgeAsync("r", Purposes.FinalScore, question, ["both"], CancellationToken.None);
            // The same call again is a cache hit: resumed runs stay reproducible.
            var finalAgain = await judging.AnswerAndJudgeAsync("r", Purposes.FinalScore, question, ["both"], CancellationToken.None);
            Assert.Equal(final[0].Response!.Opinions.Select(o => o.Text), finalAgain[0].Response!.Opinions.Select(o => o.Text));
            Assert.False(fast[0].Failed, fast[0].Failure);
            Assert.False(final[0].Failed, final[0].Failure);
        }

        using var c = new SqliteConnection($"Data Source={config.StorePath};Pooling=False");
        var keys = c.Query<string>("SELECT call_key FROM responses WHERE model = 'both' ORDER BY purpose").ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotEqual(keys[0], keys[1]);
        // Two answers were really asked of the model (two ledger entries for its opinion role), and the ledger shows their sample indices.
        var requests = c.Query<string>("SELECT request_json FROM model_calls WHERE model = 'both' AND error IS NULL").ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains(requests, r => r.Contains("\"sample\":0", StringComparison.Ordinal));
        Assert.Contains(
            requests,
            r => r.Contains($"\"sample\":{OpinionJudging.AnswerSample(Purposes.FinalScore, 0)}", StringComparison.Ordinal)
        );
    }
}
