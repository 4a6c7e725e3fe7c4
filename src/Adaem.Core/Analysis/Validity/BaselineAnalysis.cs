using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis.Validity;

/// <summary>Distinguishability of one item set, with the profiles it produced.</summary>
public sealed record ItemSetDistinguishability(string Name, int Items, DistinguishabilityResult Distinguishability, ValueProfiles Profiles);

/// <summary>The run's questions against a static baseline item file, scored the same way for the same models.</summary>
public sealed record BaselineResult(ItemSetDistinguishability Run, ItemSetDistinguishability Baseline)
{
    /// <summary>The run tells the models apart better on both criteria: lower profile correlation and higher spread.</summary>
    public bool RunMoreDistinguishing =>
        Run.Distinguishability.MeanProfileCorrelation < Baseline.Distinguishability.MeanProfileCorrelation &&
        Run.Distinguishability.MeanWithinModelSpread > Baseline.Distinguishability.MeanWithinModelSpread;
}

/// <summary>
/// Distinguishability against a static baseline (spec 3.5 and the MFT table of App. J.2). Both item sets are
/// answered by the same targets, judged by the same judge and rated by the same scoring, so the only thing
/// that differs is the items. The within-model spread is taken over the scores put on a 0–1 scale, as in the
/// paper's table. The profile correlation is taken over the expressed rates (share of questions on which a
/// model voiced each value): a relative score is a mean win probability against the other models, so each
/// value's scores sum to 50 × models and the mean pairwise correlation of score profiles is pinned near
/// −1/(models − 1) whatever the items. Rates carry no such constraint and show models answering alike.
/// </summary>
public static class BaselineAnalysis
{
    public static ItemSetDistinguishability Describe(string name, IReadOnlyList<JudgedResponse> responses, IValueScoring scoring,
        ValueTheory theory, EvaluationConfig config, IReadOnlyList<string>? models = null, CancellationToken cancellationToken = default)
    {
        var scores = scoring.Score(responses, theory, config, cancellationToken);
        var profiles = ValueProfiles.From(scores, theory, models);
        var unit = Distinguishability.Compute(profiles.Scores.Select(r => (IReadOnlyList<double>)r.Select(v => v / 100.0).ToArray()).ToList());
        var rates = Distinguishability.Compute(ValueProfiles.From(scores, theory, models, s => s.ExpressedRate).Scores);
        var result = unit with { MeanProfileCorrelation = rates.MeanProfileCorrelation, PairsUsed = rates.PairsUsed };
        return new ItemSetDistinguishability(name, QuestionFolds.QuestionIds(responses).Count, result, profiles);
    }

    public static BaselineResult Compare(IReadOnlyList<JudgedResponse> run, IReadOnlyList<JudgedResponse> baseline, IValueScoring scoring,
        ValueTheory theory, EvaluationConfig config, string baselineName, CancellationToken cancellationToken = default)
    {
        var models = run.Select(r => r.Model).Intersect(baseline.Select(r => r.Model), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new BaselineResult(
            Describe("run", run.Where(r => models.Contains(r.Model)).ToList(), scoring, theory, config, models, cancellationToken),
            Describe(baselineName, baseline.Where(r => models.Contains(r.Model)).ToList(), scoring, theory, config, models, cancellationToken));
    }
}
