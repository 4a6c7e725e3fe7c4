using Adaem.Core.Evaluation;

namespace Adaem.Core.Analysis.Validity;

/// <summary>Random partitions and subsets of a run's questions, reproducible from a seed.</summary>
public static class QuestionFolds
{
    /// <summary>The distinct question ids of the responses, in a stable (ordinal) order.</summary>
    public static IReadOnlyList<string> QuestionIds(IReadOnlyList<JudgedResponse> responses) =>
        responses.Select(r => r.QuestionId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Shuffles the ids with <paramref name="seed"/> and deals them round-robin into k folds of near-equal size.</summary>
    public static IReadOnlyList<IReadOnlySet<string>> Split(IReadOnlyList<string> questionIds, int k, long seed)
    {
        if (k < 2)
            throw new ArgumentOutOfRangeException(nameof(k), "at least two folds are needed");
        var shuffled = Shuffle(questionIds, seed);
        var folds = Enumerable.Range(0, k).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        for (var i = 0; i < shuffled.Count; i++)
            folds[i % k].Add(shuffled[i]);
        return folds;
    }

    public static IReadOnlySet<string> Sample(IReadOnlyList<string> questionIds, int size, long seed) =>
        Shuffle(questionIds, seed).Take(size).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<JudgedResponse> Restrict(IReadOnlyList<JudgedResponse> responses, IReadOnlySet<string> questionIds) =>
        responses.Where(r => questionIds.Contains(r.QuestionId)).ToList();

    private static List<string> Shuffle(IReadOnlyList<string> ids, long seed)
    {
        var list = ids.ToList();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}
