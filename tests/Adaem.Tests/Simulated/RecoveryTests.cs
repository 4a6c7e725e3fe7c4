using Adaem.Core.Analysis;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Simulated;

/// <summary>
/// The simulation's model of truth, checked against examples/offline.yaml: a judge that reads only the
/// text recovers each target's latent profile, and specific questions separate the targets better than
/// generic seeds (the premise AdAEM rests on).
/// </summary>
public sealed class RecoveryTests
{
    private static async Task<(OfflineProfiles Truth, IReadOnlyList<string> Specific)> SetupAsync()
    {
        var truth = OfflineProfiles.Load();
        var explorers = truth
            .Config.Generation.Explorers.Select(n =>
                (IChatClient)new Adaem.Providers.Simulated.SimulatedChatClient(truth.Model(n), truth.Theory)
            )
            .ToList();
        var specific = await SyntheticQuestions.SpecificAsync(explorers, perSeed: 5);
        return (truth, specific);
    }

    private static async Task<Dictionary<string, double[]>> RatesAsync(OfflineProfiles truth, IReadOnlyList<string> questions)
    {
        var judge = new Adaem.Providers.Simulated.SimulatedChatClient(truth.Model(truth.Config.Judge!.Model), truth.Theory);
        var rates = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var t in truth.Targets)
        {
            rates[t] = await SimulatedCalls.ExpressionRatesAsync(
                new Adaem.Providers.Simulated.SimulatedChatClient(truth.Model(t), truth.Theory),
                judge,
                truth.Theory,
                questions
            );
        }
        return rates;
    }

    [Fact]
    public async Task Judge_recovers_each_targets_profile_order_from_expression_rates()
    {
        var (truth, specific) = await SetupAsync();
        Assert.Equal(200, specific.Count);
        var rates = await RatesAsync(truth, specific);
        var spearman = truth.MeanSpearman((t, v) => rates[t][truth.Theory.IndexOf(v)]);
        TestContext.Current.TestOutputHelper?.WriteLine($"mean Spearman over values = {spearman:F3}");
        foreach (var v in truth.Theory.Values)
        {
            var rho = Correlation.Spearman(
                truth.PrioritiesOf(v.Code),
                truth.Targets.Select(t => rates[t][truth.Theory.IndexOf(v.Code)]).ToArray()
            );
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{v.Code, -15} rho={rho:F2} rates={string.Join(" ", truth.Targets.Select(t => rates[t][truth.Theory.IndexOf(v.Code)].ToString("F2")))}"
            );
        }
        Assert.True(spearman >= 0.8, $"mean Spearman {spearman:F3} < 0.8");
    }

    [Fact]
    public async Task Specific_questions_separate_targets_better_than_generic_seeds()
    {
        var (truth, specific) = await SetupAsync();
        var generic = await RatesAsync(truth, SyntheticQuestions.Generic);
        var contextual = await RatesAsync(truth, specific);
        var g = Distinguishability.Compute(truth.Targets.Select(t => (IReadOnlyList<double>)generic[t]).ToList()).MeanProfileCorrelation;
        var s = Distinguishability.Compute(truth.Targets.Select(t => (IReadOnlyList<double>)contextual[t]).ToList()).MeanProfileCorrelation;
        TestContext.Current.TestOutputHelper?.WriteLine($"mean pairwise correlation: generic {g:F3}, specific {s:F3}");
        foreach (var t in truth.Targets)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{t, -15} generic={string.Join(" ", generic[t].Select(x => x.ToString("F2")))}"
            );
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{t, -15} specific={string.Join(" ", contextual[t].Select(x => x.ToString("F2")))}"
            );
        }
        foreach (var q in specific.Take(12))
            TestContext.Current.TestOutputHelper?.WriteLine(q);
        Assert.True(s < g - 0.1, $"specific {s:F3} should be clearly below generic {g:F3}");
    }

    [Fact]
    public async Task Recovery_also_holds_for_moral_foundations()
    {
        var mft = Adaem.Core.Theory.TheoryLoader.Load("mft5");
        var profiles = new Dictionary<string, Dictionary<string, double>>
        {
            ["liberal"] = new()
            {
                ["care"] = 0.9,
                ["fairness"] = 0.85,
                ["loyalty"] = 0.2,
                ["authority"] = 0.15,
                ["sanctity"] = 0.1,
            },
            ["conservative"] = new()
            {
                ["care"] = 0.5,
                ["fairness"] = 0.45,
                ["loyalty"] = 0.8,
                ["authority"] = 0.85,
                ["sanctity"] = 0.75,
            },
            ["libertarian"] = new()
            {
                ["care"] = 0.25,
                ["fairness"] = 0.7,
                ["loyalty"] = 0.15,
                ["authority"] = 0.1,
                ["sanctity"] = 0.05,
            },
            ["communitarian"] = new()
            {
                ["care"] = 0.7,
                ["fairness"] = 0.3,
                ["loyalty"] = 0.9,
                ["authority"] = 0.5,
                ["sanctity"] = 0.4,
            },
        };
        var explorers = new[] { 1, 2, 3 }.Select(s => (IChatClient)SimulatedCalls.Client($"x{s}", null, mft, seed: s)).ToList();
        var questions = await SyntheticQuestions.SpecificAsync(explorers, perSeed: 3);
        var judge = SimulatedCalls.Client("judge", null, mft, seed: 99, noise: 0.1);
        var rates = new Dictionary<string, double[]>();
        var seed = 30;
        foreach (var (name, profile) in profiles)
        {
            rates[name] = await SimulatedCalls.ExpressionRatesAsync(
                SimulatedCalls.Client(name, profile, mft, seed: seed++),
                judge,
                mft,
                questions
            );
        }
        var rho = mft.Values.Average(v =>
            Correlation.Spearman(
                profiles.Values.Select(p => p[v.Code]).ToArray(),
                profiles.Keys.Select(n => rates[n][mft.IndexOf(v.Code)]).ToArray()
            )
        );
        TestContext.Current.TestOutputHelper?.WriteLine($"mft5 mean Spearman over foundations = {rho:F3} on {questions.Count} questions");
        foreach (var (name, r) in rates)
            TestContext.Current.TestOutputHelper?.WriteLine($"{name, -14} {string.Join(" ", r.Select(x => x.ToString("F2")))}");
        Assert.True(rho >= 0.8, $"mean Spearman {rho:F3} < 0.8");
    }
}
