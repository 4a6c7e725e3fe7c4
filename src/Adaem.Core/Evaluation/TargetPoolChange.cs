namespace Adaem.Core.Evaluation;

/// <summary>
/// How the pool of scored targets differs from the one the run's previous scores were computed with.
/// Scores are relative (a target's win rate against the others on the same questions), so adding or
/// removing a target moves every target's scores even though no earlier answer changed.
/// </summary>
public sealed record TargetPoolChange(IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public bool Changed => Added.Count > 0 || Removed.Count > 0;

    /// <summary>The change from the targets of the previous scores to those of the new ones (none when there were no previous
    /// scores).</summary>
    public static TargetPoolChange Between(IEnumerable<string> previous, IEnumerable<string> now)
    {
        var before = previous.ToHashSet(StringComparer.Ordinal);
        var after = now.ToHashSet(StringComparer.Ordinal);
        if (before.Count == 0)
            return new TargetPoolChange([], []);
        return new TargetPoolChange(
            after.Except(before).Order(StringComparer.Ordinal).ToList(),
            before.Except(after).Order(StringComparer.Ordinal).ToList()
        );
    }

    public override string ToString() =>
        $"the pool of targets changed since the run's previous scores ({string.Join("; ", Parts())}): scores are relative to the pool, so every target's scores moved; earlier answers were reused, not asked again";

    private IEnumerable<string> Parts()
    {
        if (Added.Count > 0)
            yield return "added " + string.Join(", ", Added);
        if (Removed.Count > 0)
            yield return "removed " + string.Join(", ", Removed);
    }
}
