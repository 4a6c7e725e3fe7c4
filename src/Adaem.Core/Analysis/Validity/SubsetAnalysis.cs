using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis.Validity;

/// <summary>Agreement of the scores from random question subsets of one size with the full-set scores.</summary>
/// <param name="Requested">The size asked for.</param>
/// <param name="Size">The size used: the request capped at the number of questions.</param>
/// <param name="IsFullSet">The cap reached every question, so the agreement is trivially perfect and says nothing.</param>
public sealed record SubsetAgreement(
    int Requested,
    int Size,
    bool IsFullSet,
    int Repeats,
    double PearsonMean,
    double PearsonMin,
    double PearsonSd,
    double SpearmanMean,
    double SpearmanMin
);

public sealed record SubsetResult(int Questions, long Seed, IReadOnlyList<SubsetAgreement> Subsets);

/// <summary>
/// Subset consistency (the paper's §4.2, App. K): does a smaller benchmark give the same picture? For each size, draw
/// <c>repeats</c> random subsets, score each, and correlate its (model, value) scores with the full set's.
/// </summary>
public static class SubsetAnalysis
{
    public static readonly IReadOnlyList<int> DefaultSizes = [200, 500, 1000];

    public static SubsetResult Run(
        IReadOnlyList<JudgedResponse> responses,
        IValueScoring scoring,
        ValueTheory theory,
        EvaluationConfig config,
        IReadOnlyList<int>? sizes = null,
        int repeats = 5,
        long seed = 1,
        CancellationToken cancellationToken = default
    )
    {
        var ids = QuestionFolds.QuestionIds(responses);
        var full = scoring.Score(responses, theory, config, cancellationToken).ToDictionary(s => (s.Model, s.Value), s => s.Score);
        var keys = full.Keys.OrderBy(k => k.Model, StringComparer.Ordinal).ThenBy(k => theory.IndexOf(k.Value)).ToList();
        var result = new List<SubsetAgreement>();
        foreach (var requested in EffectiveSizes(sizes ?? DefaultSizes, ids.Count))
        {
            var size = Math.Min(requested, ids.Count);
            var isFull = size == ids.Count;
            var reps = isFull ? 1 : repeats;
            var pearson = new List<double>();
            var spearman = new List<double>();
            for (var r = 0; r < reps; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var subset = QuestionFolds.Sample(ids, size, seed + 1000L * requested + r);
                var scores = scoring
                    .Score(QuestionFolds.Restrict(responses, subset), theory, config, cancellationToken)
                    .ToDictionary(s => (s.Model, s.Value), s => s.Score);
                var common = keys.Where(scores.ContainsKey).ToList();
                var a = common.Select(k => full[k]).ToArray();
                var b = common.Select(k => scores[k]).ToArray();
                pearson.Add(Correlation.Pearson(a, b));
                spearman.Add(Correlation.Spearman(a, b));
            }
            var p = pearson.Where(x => !double.IsNaN(x)).ToList();
            var s = spearman.Where(x => !double.IsNaN(x)).ToList();
            result.Add(
                new SubsetAgreement(
                    requested,
                    size,
                    isFull,
                    reps,
                    p.Count == 0 ? double.NaN : p.Average(),
                    p.Count == 0 ? double.NaN : p.Min(),
                    p.Count < 2 ? double.NaN : Descriptive.SampleStandardDeviation(p),
                    s.Count == 0 ? double.NaN : s.Average(),
                    s.Count == 0 ? double.NaN : s.Min()
                )
            );
        }
        return new SubsetResult(ids.Count, seed, result);
    }

    /// <summary>
    /// The sizes to test: the requested ones, with every size at or above the question count collapsed into
    /// one full-set row. When no requested size is below the question count (a small run), a quarter, half and
    /// three quarters of the questions are tested instead, so the analysis still says something.
    /// </summary>
    internal static IReadOnlyList<int> EffectiveSizes(IEnumerable<int> requested, int questions)
    {
        var sizes = requested.Where(x => x > 0).Distinct().Order().ToList();
        var below = sizes.Where(x => x < questions).ToList();
        if (below.Count == 0)
            below = new[] { questions / 4, questions / 2, questions * 3 / 4 }.Where(x => x >= 5 && x < questions).Distinct().ToList();
        var firstFull = sizes.FirstOrDefault(x => x >= questions);
        if (firstFull > 0)
            below.Add(firstFull);
        else if (sizes.Count == 0)
            below.Add(questions);
        return below;
    }
}
