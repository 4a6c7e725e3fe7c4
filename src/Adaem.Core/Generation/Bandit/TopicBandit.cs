namespace Adaem.Core.Generation;

/// <summary>The bandit's view of one arm (a seed topic).</summary>
/// <param name="Pulls">C_i: how often the arm was played, counting the scoring of its seed question as the first play.</param>
/// <param name="Rewards">How many of those plays returned a reward (a step whose candidates were all dropped returns none).</param>
/// <param name="Mean">Q_i: running mean of the rewards.</param>
/// <param name="Retired">Never chosen (e.g. its seed question failed the safety filter).</param>
internal sealed record ArmState(string Id, int Pulls, int Rewards, double Mean, bool Retired);

/// <summary>Which arm a step played and why.</summary>
/// <param name="Index">UCB index of the chosen arm (+∞ for an arm never played).</param>
/// <param name="Bonus">The exploration term sqrt(2 ln n / C_i).</param>
/// <param name="TotalPulls">n, the plays of all arms before this step (finished plays only; see <see cref="PendingInRound"/>).</param>
internal sealed record ArmChoice(int Arm, string Id, double Index, double Bonus, long TotalPulls)
{
    /// <summary>Virtual plays of this arm counted in its index: earlier picks of the same round (0 in a round of one).</summary>
    public int PendingOnArm { get; init; }

    /// <summary>Virtual plays of all arms counted in ln n: the picks of the round before this one (0 for the first pick).</summary>
    public int PendingInRound { get; init; }
}

/// <summary>
/// UCB1 over seed topics (Algorithms 1 and 2). Each arm's Q starts at the informativeness score of its
/// seed question, which counts as the arm's first play, so the bandit never has to spend one step per
/// arm on a round robin before it can exploit (the paper's 1,535 arms exceed its 1,500 steps). An arm
/// whose seed could not be scored has no play yet and is tried first. The exploration term uses
/// ln n with n the plays so far (anytime UCB1), so a run extended with a larger budget follows the
/// same path as a run given that budget from the start. Ties go to the lower arm index.
/// </summary>
internal sealed class TopicBandit
{
    private readonly string[] _ids;
    private readonly int[] _pulls;
    private readonly int[] _rewards;
    private readonly double[] _mean;
    private readonly bool[] _retired;
    private long _totalPulls;

    public TopicBandit(IReadOnlyList<string> armIds)
    {
        if (armIds.Count == 0)
            throw new ArgumentException("a bandit needs at least one arm", nameof(armIds));
        _ids = armIds.ToArray();
        _pulls = new int[_ids.Length];
        _rewards = new int[_ids.Length];
        _mean = new double[_ids.Length];
        _retired = new bool[_ids.Length];
    }

    public int Count => _ids.Length;

    public long TotalPulls => _totalPulls;

    public ArmState this[int arm] => new(_ids[arm], _pulls[arm], _rewards[arm], _mean[arm], _retired[arm]);

    public IEnumerable<ArmState> Arms => Enumerable.Range(0, _ids.Length).Select(i => this[i]);

    public int IndexOf(string id) => Array.IndexOf(_ids, id);

    /// <summary>Never choose this arm.</summary>
    public void Retire(int arm) => _retired[arm] = true;

    public bool HasPlayableArm => _retired.Any(r => !r);

    /// <summary>The arm with the largest UCB index Q_i + sqrt(2 ln n / C_i); unplayed arms first.</summary>
    public ArmChoice Choose() => Choose(null, 0);

    /// <summary>
    /// The <paramref name="count"/> arms of one round, chosen with virtual plays: after each pick the arm
    /// counts one more play whose reward is its current mean (the "hallucinated" observation of batched
    /// GP-UCB, Desautels et al. 2014), so Q_i stays and C_i and n grow by one. The picked arm's bonus
    /// shrinks and the next pick goes to the arm that is now most promising: distinct arms when indices
    /// are close, the same arm again only while its mean keeps it ahead with the smaller bonus. A round
    /// of one is exactly <see cref="Choose()"/>. The bandit itself does not change; the round's real
    /// rewards come later through <see cref="Update"/>.
    /// </summary>
    public IReadOnlyList<ArmChoice> ChooseRound(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var pending = new int[_ids.Length];
        var picks = new List<ArmChoice>(count);
        for (var j = 0; j < count; j++)
        {
            var pick = Choose(pending, j);
            picks.Add(pick);
            pending[pick.Arm]++;
        }
        return picks;
    }

    /// <param name="pending">Virtual plays per arm (null: none).</param>
    /// <param name="pendingTotal">Their sum, added to n.</param>
    private ArmChoice Choose(int[]? pending, int pendingTotal)
    {
        var best = -1;
        var bestIndex = double.NegativeInfinity;
        var bestBonus = 0.0;
        var logN = Math.Log(Math.Max(1, _totalPulls + pendingTotal));
        for (var i = 0; i < _ids.Length; i++)
        {
            if (_retired[i])
                continue;
            var plays = _pulls[i] + (pending?[i] ?? 0);
            double bonus,
                index;
            if (plays == 0)
            {
                bonus = double.PositiveInfinity;
                index = double.PositiveInfinity;
            }
            else
            {
                bonus = Math.Sqrt(2 * logN / plays);
                index = _mean[i] + bonus;
            }
            if (best < 0 || index > bestIndex)
            {
                best = i;
                bestIndex = index;
                bestBonus = bonus;
            }
        }
        if (best < 0)
            throw new InvalidOperationException("every arm is retired");
        return new ArmChoice(best, _ids[best], bestIndex, bestBonus, _totalPulls)
        {
            PendingOnArm = pending?[best] ?? 0,
            PendingInRound = pendingTotal,
        };
    }

    /// <summary>
    /// Records a play: C_i += 1 and, when the play produced a reward, Q_i += (r − Q_i) / (rewards so far).
    /// A play without a reward still counts, so an arm whose candidates are all duplicates loses its
    /// exploration bonus instead of being chosen forever.
    /// </summary>
    public void Update(int arm, double? reward)
    {
        _pulls[arm]++;
        _totalPulls++;
        if (reward is { } r)
        {
            _rewards[arm]++;
            _mean[arm] += (r - _mean[arm]) / _rewards[arm];
        }
    }
}
