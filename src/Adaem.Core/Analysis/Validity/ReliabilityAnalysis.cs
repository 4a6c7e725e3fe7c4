using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis.Validity;

/// <summary>
/// Split-benchmark reliability (the paper's §4.2, App. K): the questions are dealt into k random folds, each fold is
/// scored on its own, and every (model, value) score is a subject measured k times (the folds are the
/// items). Cronbach's alpha says whether the folds rank the subjects alike; the coefficient of variation
/// says how far a score moves between folds relative to its size.
/// </summary>
public sealed record ReliabilityResult(
    int Folds,
    long Seed,
    IReadOnlyList<int> QuestionsPerFold,
    int Subjects,
    double CronbachAlpha,
    double CoefficientOfVariation
);

public static class ReliabilityAnalysis
{
    public static ReliabilityResult Run(
        IReadOnlyList<JudgedResponse> responses,
        IValueScoring scoring,
        ValueTheory theory,
        EvaluationConfig config,
        int folds = 5,
        long seed = 1,
        CancellationToken cancellationToken = default
    )
    {
        var ids = QuestionFolds.QuestionIds(responses);
        if (ids.Count < folds)
            throw new ArgumentException($"{ids.Count} questions cannot be split into {folds} folds; use fewer folds");
        var split = QuestionFolds.Split(ids, folds, seed);
        var perFold = new List<Dictionary<(string, string), double>>();
        foreach (var fold in split)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scores = scoring.Score(QuestionFolds.Restrict(responses, fold), theory, config, cancellationToken);
            perFold.Add(scores.ToDictionary(s => (s.Model, s.Value), s => s.Score));
        }
        // Subjects present in every fold, in a stable order.
        var subjects = perFold[0]
            .Keys.Where(k => perFold.All(f => f.ContainsKey(k)))
            .OrderBy(k => k.Item1, StringComparer.Ordinal)
            .ThenBy(k => theory.IndexOf(k.Item2))
            .ToList();
        var matrix = subjects.Select(s => (IReadOnlyList<double>)perFold.Select(f => f[s]).ToArray()).ToList();
        return new ReliabilityResult(
            folds,
            seed,
            split.Select(f => f.Count).ToList(),
            subjects.Count,
            Reliability.CronbachAlpha(matrix),
            Reliability.MeanCoefficientOfVariation(matrix)
        );
    }
}
