using Adaem.Core.Generation;
using Xunit;

namespace Adaem.Tests.Generation;

public class TopicBanditTests
{
    // A synthetic reward table: arm i pays its mean plus uniform noise in [-1, 1].
    private static readonly double[] Means = [5.0, 5.5, 6.0, 4.0, 7.5, 5.2, 6.3, 4.8, 5.9, 6.1];

    private static double Draw(Random rng, int arm) => Means[arm] + (rng.NextDouble() * 2 - 1);

    private static (TopicBandit Bandit, List<int> Choices) Play(int steps, int seed)
    {
        var rng = new Random(seed);
        var bandit = new TopicBandit(Enumerable.Range(0, Means.Length).Select(i => $"arm{i}").ToList());
        for (var i = 0; i < Means.Length; i++)
            bandit.Update(i, Draw(rng, i)); // the seed questions' scores
        var choices = new List<int>();
        for (var b = 0; b < steps; b++)
        {
            var c = bandit.Choose();
            choices.Add(c.Arm);
            bandit.Update(c.Arm, Draw(rng, c.Arm));
        }
        return (bandit, choices);
    }

    [Fact]
    public void Finds_the_best_arm()
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var (bandit, _) = Play(1500, seed);
            var most = bandit.Arms.OrderByDescending(a => a.Pulls).First();
            Assert.Equal("arm4", most.Id);
            Assert.True(most.Pulls > 0.5 * 1500, $"best arm pulled {most.Pulls} times");
            Assert.Equal(Means[4], most.Mean, 0.2);
        }
    }

    [Fact]
    public void Explores_first_then_exploits()
    {
        var (_, choices) = Play(1500, 7);
        var early = choices.Take(50).Distinct().Count();
        var late = choices.Skip(1400).Distinct().Count();
        Assert.True(early >= 6, $"only {early} arms tried in the first 50 steps");
        Assert.True(late < early, $"late {late} vs early {early}");
        Assert.True(choices.Skip(1400).Count(c => c == 4) > 70);
    }

    [Fact]
    public void Unplayed_arms_come_first_and_retired_arms_never()
    {
        var bandit = new TopicBandit(["a", "b", "c"]);
        bandit.Update(0, 9.0);
        bandit.Retire(1);
        Assert.Equal("c", bandit.Choose().Id);
        Assert.True(double.IsPositiveInfinity(bandit.Choose().Index));
        bandit.Update(2, 1.0);
        for (var i = 0; i < 20; i++)
            Assert.NotEqual("b", bandit.Choose().Id);
    }

    [Fact]
    public void Incremental_mean_and_plays_without_reward()
    {
        var bandit = new TopicBandit(["a"]);
        bandit.Update(0, 6.0);
        bandit.Update(0, 8.0);
        bandit.Update(0, null);
        var a = bandit[0];
        Assert.Equal(3, a.Pulls);
        Assert.Equal(2, a.Rewards);
        Assert.Equal(7.0, a.Mean, 12);
        Assert.Equal(3, bandit.TotalPulls);
    }

    [Fact]
    public void Ucb_index_is_mean_plus_sqrt_two_ln_n_over_pulls()
    {
        var bandit = new TopicBandit(["a", "b"]);
        bandit.Update(0, 5.0);
        bandit.Update(1, 4.0);
        bandit.Update(1, 4.0);
        var c = bandit.Choose();
        Assert.Equal("a", c.Id);
        Assert.Equal(3, c.TotalPulls);
        Assert.Equal(Math.Sqrt(2 * Math.Log(3) / 1), c.Bonus, 12);
        Assert.Equal(5.0 + c.Bonus, c.Index, 12);
    }

    /// <summary>Four arms with the same mean and plays: their UCB indices tie exactly.</summary>
    private static TopicBandit Tied(int arms = 4)
    {
        var bandit = new TopicBandit(Enumerable.Range(0, arms).Select(i => $"arm{i}").ToList());
        for (var i = 0; i < arms; i++)
            bandit.Update(i, 5.0);
        return bandit;
    }

    [Fact]
    public void Virtual_plays_give_a_round_distinct_arms_when_the_ucb_indices_tie()
    {
        var bandit = Tied();
        // Without virtual plays every pick of the round would be the same arm (the tie goes to the lowest index).
        Assert.Equal([0, 0, 0, 0], Enumerable.Range(0, 4).Select(_ => bandit.Choose().Arm));

        var round = bandit.ChooseRound(4);
        Assert.Equal([0, 1, 2, 3], round.Select(c => c.Arm));
        Assert.All(round, c => Assert.Equal(0, c.PendingOnArm));
        Assert.Equal([0, 1, 2, 3], round.Select(c => c.PendingInRound));
        // ln n grows with the round's earlier picks, so later picks carry a larger bonus at the same C_i.
        Assert.Equal(Math.Sqrt(2 * Math.Log(4) / 1), round[0].Bonus, 12);
        Assert.Equal(Math.Sqrt(2 * Math.Log(7) / 1), round[3].Bonus, 12);

        // A fifth pick comes back to arm 0, now with a virtual play: C = 2 in its bonus.
        var five = bandit.ChooseRound(5);
        Assert.Equal(0, five[4].Arm);
        Assert.Equal(1, five[4].PendingOnArm);
        Assert.Equal(5.0 + Math.Sqrt(2 * Math.Log(8) / 2), five[4].Index, 12);
    }

    [Fact]
    public void A_round_of_one_is_the_sequential_choice_and_choosing_a_round_changes_nothing()
    {
        var (bandit, _) = Play(40, seed: 5);
        var before = bandit.Arms.ToList();
        var single = bandit.ChooseRound(1);
        Assert.Equal(bandit.Choose(), Assert.Single(single));
        bandit.ChooseRound(8);
        Assert.Equal(before, bandit.Arms);
        Assert.Equal(before.Sum(a => (long)a.Pulls), bandit.TotalPulls);
    }

    [Fact]
    public void An_arm_far_ahead_is_played_again_in_the_same_round_with_a_shrinking_bonus()
    {
        var bandit = new TopicBandit(["strong", "weak1", "weak2"]);
        bandit.Update(0, 20.0);
        bandit.Update(1, 1.0);
        bandit.Update(2, 1.0);
        var round = bandit.ChooseRound(3);
        Assert.Equal([0, 0, 0], round.Select(c => c.Arm));
        Assert.Equal([0, 1, 2], round.Select(c => c.PendingOnArm));
        Assert.True(round[0].Bonus > round[1].Bonus && round[1].Bonus > round[2].Bonus);
    }

    [Fact]
    public void Unplayed_arms_fill_a_round_before_any_arm_is_repeated()
    {
        var bandit = new TopicBandit(["a", "b", "c", "d"]);
        bandit.Update(0, 9.0);
        var round = bandit.ChooseRound(3);
        Assert.Equal(["b", "c", "d"], round.Select(c => c.Id));
        Assert.All(round, c => Assert.True(double.IsPositiveInfinity(c.Index)));
    }
}
