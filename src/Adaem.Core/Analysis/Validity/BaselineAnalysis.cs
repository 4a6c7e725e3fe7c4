using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis.Validity;

/// <summary>
/// Distinguishability of one item set, with the profiles it produced: <see cref="Expression"/> over the
/// models' plain expression rates (the criterion), <see cref="Distinguishability"/> over their relative
/// scores (shown for comparison with the paper's table; see <see cref="BaselineAnalysis"/> for why it is not the criterion).
/// </summary>
public sealed record ItemSetDistinguishability(string Name, int Items, DistinguishabilityResult Distinguishability, ValueProfiles Profiles)
{
    public DistinguishabilityResult? Expression { get; init; }
}

/// <summary>The run's questions against a static baseline item file, scored the same way for the same models.</summary>
public sealed record BaselineResult(ItemSetDistinguishability Run, ItemSetDistinguishability Baseline)
{
    /// <summary>The run tells the models apart better on both criteria: a lower mean profile correlation of the
    /// expression-rate profiles, and a higher within-model spread of the scores (as in the paper's table).</summary>
    public bool RunMoreDistinguishing => RunLessCorrelated && RunMoreSpread;

    /// <summary>The run's expression-rate profiles correlate less across models than the baseline's.</summary>
    public bool RunLessCorrelated => Rates(Run).MeanProfileCorrelation < Rates(Baseline).MeanProfileCorrelation;

    /// <summary>The run's scores vary more across values within a model than the baseline's.</summary>
    public bool RunMoreSpread => Run.Distinguishability.MeanWithinModelSpread > Baseline.Distinguishability.MeanWithinModelSpread;

    private static DistinguishabilityResult Rates(ItemSetDistinguishability set) => set.Expression ?? set.Distinguishability;
}

/// <summary>
/// Distinguishability against a static baseline (the paper's App. J.2 and its MFT table). Both item sets are
/// answered by the same targets, judged by the same judge and rated by the same scoring, so the only thing
/// that differs is the items. Scores are put on a 0–1 scale before the statistics, as in the paper's table.
/// The correlation criterion uses expression-rate profiles, because relative win rates cannot carry it: every
/// value's win rates average exactly 50 over the models (each pair's two win probabilities sum to one), so
/// the centred profiles sum to zero and their mean pairwise correlation is pinned near -1/(K-1) whatever the
/// items are (exactly that when the models' spreads are equal). The spread has no such constraint and is
/// taken on the scores, as in the paper.
/// </summary>
public static class BaselineAnalysis
{
    public static ItemSetDistinguishability Describe(
        string name,
        IReadOnlyList<JudgedResponse> responses,
        IValueScoring scoring,
        ValueTheory theory,
        EvaluationConfig config,
        IReadOnlyList<string>? models = null,
        CancellationToken cancellationToken = default
    )
    {
        var scores = scoring.Score(responses, theory, config, cancellationToken);
        var profiles = ValueProfiles.From(scores, theory, models);
        var unit = profiles.Scores.Select(r => (IReadOnlyList<double>)r.Select(v => v / 100.0).ToArray()).ToList();
        var rates = ValueProfiles.ExpressionRates(scores, theory, models);
        return new ItemSetDistinguishability(name, QuestionFolds.QuestionIds(responses).Count, Distinguishability.Compute(unit), profiles)
        {
            Expression = Distinguishability.Compute(rates.Scores.Select(r => (IReadOnlyList<double>)r).ToList()),
        };
    }

    public static BaselineResult Compare(
        IReadOnlyList<JudgedResponse> run,
        IReadOnlyList<JudgedResponse> baseline,
        IValueScoring scoring,
        ValueTheory theory,
        EvaluationConfig config,
        string baselineName,
        CancellationToken cancellationToken = default
    )
    {
        var models = run.Select(r => r.Model)
            .Intersect(baseline.Select(r => r.Model), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new BaselineResult(
            Describe("run", run.Where(r => models.Contains(r.Model)).ToList(), scoring, theory, config, models, cancellationToken),
            Describe(
                baselineName,
                baseline.Where(r => models.Contains(r.Model)).ToList(),
                scoring,
                theory,
                config,
                models,
                cancellationToken
            )
        );
    }
}
