using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Tests.Support;

namespace Adaem.Tests.Analysis;

/// <summary>`adaem validate judge`: Cohen's κ per value between the run's judge and another judge, and the CLI end to end.</summary>
public sealed class JudgeAgreementTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JudgedResponse Answer(string q, string model, params string[][] labels) =>
        new(
            q,
            model,
            0,
            new ParsedResponse("yes", labels.Select((_, i) => new Opinion($"p{i}", "j")).ToList()),
            labels.Select(l => (IReadOnlySet<string>)l.ToHashSet(StringComparer.Ordinal)).ToList()
        )
        {
            Item = $"{q}|{model}",
        };

    [Fact]
    public void Kappa_agreement_and_positive_rates_match_a_hand_computed_table()
    {
        var theory = TheoryLoader.Load("schwartz10", _dir.Path);
        // Ten opinions on power: both yes 3, only the run's judge 1, only the other 1, neither 5.
        string[] P = ["power"],
            N = [];
        var run = new[] { Answer("q1", "a", P, P, P, P, N), Answer("q1", "b", N, N, N, N, N) };
        var other = new[] { Answer("q1", "a", P, P, P, N, P), Answer("q1", "b", N, N, N, N, N) };
        var values = JudgeAgreement.Compare(run, other, theory, new EvaluationConfig { Bootstrap = 0 }, ["a", "b"], CancellationToken.None);

        var power = values.Single(v => v.Value == "power");
        Assert.Equal(10, power.Opinions);
        Assert.Equal(0.8, power.Agreement, 12);
        Assert.Equal(0.4, power.RunPositiveRate, 12);
        Assert.Equal(0.4, power.OtherPositiveRate, 12);
        // po = 0.8, pe = 0.4·0.4 + 0.6·0.6 = 0.52, κ = 0.28 / 0.48.
        Assert.Equal(0.28 / 0.48, power.Kappa, 12);
        // A value neither judge ever uses has no defined κ (chance agreement is 1), never a made-up number.
        Assert.True(double.IsNaN(values.Single(v => v.Value == "tradition").Kappa));
    }

    [Fact]
    public async Task Validate_judge_relabels_a_sample_with_another_judge_and_records_kappa()
    {
        var config = _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              t1: { provider: simulated, seed: 4, profile: { achievement: 0.9, power: 0.7 } }
              t2: { provider: simulated, seed: 5, profile: { benevolence: 0.9, universalism: 0.7 } }
              t3: { provider: simulated, seed: 6, profile: { tradition: 0.9, security: 0.7 } }
              judge: { provider: simulated, seed: 99, noise: 0.1 }
              judge2: { provider: simulated, seed: 7, noise: 0.6 }
            judge: { model: judge, mode: batched }
            evaluation:
              targets: [t1, t2, t3]
              bootstrap: 20
            """
        );
        var questions = _dir.Write(
            "q.jsonl",
            string.Join(
                "\n",
                Enumerable
                    .Range(1, 12)
                    .Select(i =>
                        $$"""{"id": "q{{i}}", "question": "Should towns in region {{i}} ban cars from their centres even if it limits personal freedom?"}"""
                    )
            ) + "\n"
        );
        var evaluated = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--questions", questions, "--quiet");
        Assert.True(evaluated.ExitCode == 0, evaluated.All);

        var r = await CliProcess.RunAsync(
            _dir.Path,
            "validate",
            "judge",
            "-c",
            config,
            "--run",
            "main",
            "--sample",
            "8",
            "--against",
            "judge2",
            "--quiet"
        );
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("judge agreement on 24 answers to 8 questions", r.Stdout);
        // No target was asked again: only the other judge made calls.
        Assert.Matches(@"validate judge done: answers re-judged 24/24 \(100%\); [1-9]", r.Stdout);
        var json = System
            .Text.Json.JsonDocument.Parse(File.ReadAllText(_dir.File("out/main/validity.json")))
            .RootElement.GetProperty("judge");
        Assert.Equal(24, json.GetProperty("answers").GetInt32());
        var kappas = json.GetProperty("values")
            .EnumerateArray()
            .Select(v => v.GetProperty("kappa"))
            .Where(k => k.ValueKind == System.Text.Json.JsonValueKind.Number)
            .Select(k => k.GetDouble())
            .ToList();
        Assert.NotEmpty(kappas);
        // A noisier judge does not agree perfectly with the run's judge.
        Assert.Contains(kappas, k => k < 1);

        var same = await CliProcess.RunAsync(
            _dir.Path,
            "validate",
            "judge",
            "-c",
            config,
            "--run",
            "main",
            "--against",
            "judge",
            "--mode",
            "batched"
        );
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("the run's own judge", same.Stderr);
    }
}
