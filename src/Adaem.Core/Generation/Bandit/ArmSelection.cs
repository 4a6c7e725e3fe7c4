namespace Adaem.Core.Generation;

/// <summary>
/// Picks the arms of a run from the seeds. With max_arms below the number of seeds, arms are drawn
/// round-robin over the topic categories (each category shuffled with the run's seed), so a small run
/// still covers every category instead of whatever the file lists first. Arms are kept in id order,
/// which is also the bandit's tie-break order, so a resumed run sees the same order.
/// </summary>
internal static class ArmSelection
{
    public static IReadOnlyList<Seed> Select(IReadOnlyList<Seed> seeds, int? maxArms, long seed)
    {
        IEnumerable<Seed> chosen = seeds;
        if (maxArms is { } max && max < seeds.Count)
        {
            var rng = StepRandom.For(seed, 0);
            var groups = seeds
                .GroupBy(s => s.Category ?? "", StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Shuffle(g.OrderBy(s => s.Id, StringComparer.Ordinal).ToList(), rng))
                .ToList();
            var picked = new List<Seed>();
            for (var round = 0; picked.Count < max; round++)
            {
                foreach (var g in groups)
                {
                    if (round < g.Count && picked.Count < max)
                        picked.Add(g[round]);
                }
            }
            chosen = picked;
        }
        return chosen.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    private static List<Seed> Shuffle(List<Seed> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}

/// <summary>
/// Deterministic random sources derived from generation.seed: the arm sample uses step 0 and bandit step
/// b uses b, so replaying or resuming a run draws exactly the same numbers without storing any RNG state.
/// </summary>
internal static class StepRandom
{
    public static Random For(long seed, int step)
    {
        // SplitMix64 of (seed, step): nearby seeds and steps give unrelated streams.
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)step + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }
}
