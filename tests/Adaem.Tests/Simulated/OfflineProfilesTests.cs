using Adaem.Core.Analysis;
using Adaem.Core.Configuration;
using Xunit;

namespace Adaem.Tests.Simulated;

/// <summary>examples/offline.yaml is the ground truth of the quick start and the recovery tests: check it is fit for that.</summary>
public sealed class OfflineProfilesTests
{
    [Fact]
    public void Offline_config_has_six_simulated_targets_with_full_and_clearly_different_profiles()
    {
        var truth = OfflineProfiles.Load();
        Assert.True(truth.Targets.Count >= 6);
        Assert.All(truth.Config.Models.Values, m => Assert.Equal(ProviderKinds.Simulated, m.Provider));
        Assert.Equal("judge", truth.Config.Judge!.Model);
        Assert.Empty(truth.Targets.Intersect(truth.Config.Generation.Explorers.Concat(truth.Config.Generation.Scorers)));

        var profiles = truth.Targets.Select(t => truth.Theory.Values.Select(v => truth.Priority(t, v.Code)).ToArray()).ToList();
        foreach (var (t, p) in truth.Targets.Zip(profiles))
        {
            Assert.Equal(truth.Theory.Count, truth.Model(t).Profile!.Count);
            TestContext.Current.TestOutputHelper?.WriteLine($"{t, -15} {string.Join(" ", p.Select(x => x.ToString("F2")))}");
        }
        // Each target leads on a different value, and no two targets are near copies.
        Assert.Equal(truth.Targets.Count, profiles.Select(p => Array.IndexOf(p, p.Max())).Distinct().Count());
        for (var i = 0; i < profiles.Count; i++)
        {
            for (var j = i + 1; j < profiles.Count; j++)
            {
                var r = Correlation.Pearson(profiles[i], profiles[j]);
                TestContext.Current.TestOutputHelper?.WriteLine($"{truth.Targets[i]} ~ {truth.Targets[j]}: {r:F2}");
                Assert.True(r < 0.6, $"{truth.Targets[i]} and {truth.Targets[j]} correlate {r:F2}");
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"mean pairwise latent correlation {Distinguishability.Compute(profiles).MeanProfileCorrelation:F3}"
        );
    }

    [Fact]
    public void Priorities_of_a_value_follow_target_order_and_spearman_is_one_on_the_truth_itself()
    {
        var truth = OfflineProfiles.Load();
        Assert.Equal(truth.Targets.Count, truth.PrioritiesOf("tradition").Length);
        Assert.Equal(1.0, truth.MeanSpearman((t, v) => truth.Priority(t, v)), 6);
        Assert.True(truth.MeanSpearman((t, v) => -truth.Priority(t, v)) < -0.99);
    }

    [Fact]
    public void Spearman_uses_average_ranks_for_ties()
    {
        Assert.Equal([1.5, 1.5, 3.0, 4.0], Correlation.Ranks([2, 2, 5, 9]));
        Assert.Equal(1.0, Correlation.Spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 9);
        Assert.Equal(-1.0, Correlation.Spearman([1, 2, 3], [3, 2, 1]), 9);
    }
}
