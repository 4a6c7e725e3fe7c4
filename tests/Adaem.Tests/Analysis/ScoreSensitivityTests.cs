using Adaem.Core.Analysis.Validity;
using Adaem.Core.Generation;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Analysis;

/// <summary>`adaem validate score`: the run's candidates re-ranked under the other disentanglement sign and another β.</summary>
public sealed class ScoreSensitivityTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (string, ScoreComponents) Candidate(int i, double rest, double dis) =>
        (
            $"q{i:000}",
            new ScoreComponents
            {
                ValueConformity = rest,
                ValueDiversity = 0,
                OpinionDiversity = 0,
                Disentanglement = dis,
                Beta = 1,
                Sign = 1,
                Total = rest + 0.5 * dis,
            }
        );

    [Fact]
    public void Flipping_the_sign_reorders_candidates_whose_disentanglement_differs()
    {
        var random = new Random(7);
        var candidates = Enumerable.Range(0, 300).Select(i => Candidate(i, random.NextDouble() * 4, random.NextDouble() * 6)).ToList();
        var r = ScoreSensitivity.Run(candidates, otherBeta: 2);

        Assert.Equal(300, r.Candidates);
        Assert.Equal((1, 1.0), (r.Sign, r.Beta));
        var flipped = r.Variants.Single(v => v.Name == "other sign");
        Assert.Equal((-1, 1.0, 100), (flipped.Sign, flipped.Beta, flipped.TopN));
        Assert.True(flipped.Spearman < 0.9, $"Spearman {flipped.Spearman}");
        Assert.True(flipped.TopOverlap < 100);
        // The run's own formula is what the stored totals say.
        Assert.All(candidates, c => Assert.Equal(c.Item2.Total, ScoreSensitivity.Total(c.Item2, 1, 1), 12));
    }

    [Fact]
    public void When_disentanglement_is_the_same_everywhere_no_choice_changes_the_ranking()
    {
        var candidates = Enumerable.Range(0, 50).Select(i => Candidate(i, i * 0.1, 3)).ToList();
        var r = ScoreSensitivity.Run(candidates, otherBeta: 5, top: 10);
        Assert.All(
            r.Variants,
            v =>
            {
                Assert.Equal(1.0, v.Spearman, 12);
                Assert.Equal(10, v.TopOverlap);
            }
        );
    }

    [Fact]
    public async Task Validate_score_writes_its_section_and_asks_no_model()
    {
        var config = _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              e1: { provider: simulated, seed: 1, profile: { tradition: 0.8, security: 0.6 } }
              e2: { provider: simulated, seed: 2, profile: { self_direction: 0.8, hedonism: 0.6 } }
              judge: { provider: simulated, seed: 99 }
            judge: { model: judge, mode: batched }
            generation:
              explorers: [e1, e2]
              scorers: [e1, e2]
              budget: 3
              max_arms: 4
            evaluation:
              targets: [e1, e2]
            """
        );
        var generated = await CliProcess.RunAsync(_dir.Path, "generate", "-c", config, "--quiet");
        Assert.True(generated.ExitCode == 0, generated.All);
        long Calls()
        {
            using var c = new SqliteConnection($"Data Source={_dir.File("adaem.db")};Pooling=False");
            return c.ExecuteScalar<long>("SELECT COUNT(*) FROM model_calls");
        }
        var before = Calls();

        var score = await CliProcess.RunAsync(_dir.Path, "validate", "score", "-c", config, "--run", "main", "--beta", "3", "--top", "5");
        Assert.True(score.ExitCode == 0, score.All);
        Assert.Contains("other sign", score.Stdout);
        Assert.Contains("beta 3", score.Stdout);
        Assert.Equal(before, Calls());
        var validity = File.ReadAllText(_dir.File("out/main/validity.json"));
        Assert.Contains("\"score\"", validity);
        Assert.Contains("\"top_n\": 5", validity);

        var bad = await CliProcess.RunAsync(_dir.Path, "validate", "score", "-c", config, "--run", "nope");
        Assert.Equal(2, bad.ExitCode);
    }
}
