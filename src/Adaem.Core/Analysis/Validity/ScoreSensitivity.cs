using Adaem.Core.Generation;

namespace Adaem.Core.Analysis.Validity;

/// <summary>One alternative ranking of the run's candidates and how far it is from the run's own.</summary>
/// <param name="Sign">Sign of the disentanglement term in S.</param>
/// <param name="Beta">Weight β of the disentanglement term.</param>
/// <param name="Spearman">Rank correlation of the candidates' scores under this variant with the run's scores.</param>
/// <param name="TopN">Size of the top compared (100, or all candidates if fewer).</param>
/// <param name="TopOverlap">Questions in both top-N lists.</param>
public sealed record RankingVariant(string Name, int Sign, double Beta, double Spearman, int TopN, int TopOverlap)
{
    public double TopOverlapShare => TopN == 0 ? double.NaN : (double)TopOverlap / TopN;
}

/// <summary>How much the benchmark's selection depends on the disentanglement sign and β (`adaem validate score`).</summary>
public sealed record ScoreSensitivityResult(int Candidates, int Sign, double Beta, IReadOnlyList<RankingVariant> Variants);

/// <summary>
/// Re-ranks a run's candidates (every question with a final score) from their stored final-score
/// components under another disentanglement sign and another β, without calling any model. The paper
/// prints the disentanglement term with both signs (App. C.3); this measures how much that choice, and β,
/// matter on the user's own run. It measures the selection only: the bandit was steered by the scores the
/// run used, so a run generated under the other choice would also have explored differently.
/// </summary>
public static class ScoreSensitivity
{
    public const int DefaultTop = 100;

    public static ScoreSensitivityResult Run(
        IReadOnlyList<(string Id, ScoreComponents Final)> candidates,
        double otherBeta,
        int top = DefaultTop
    )
    {
        if (candidates.Count < 2)
            throw new ArgumentException("at least two scored candidates are needed", nameof(candidates));
        var sign = candidates[0].Final.Sign;
        var beta = candidates[0].Final.Beta;
        var baseline = candidates.Select(c => Total(c.Final, c.Final.Sign, c.Final.Beta)).ToList();
        var n = Math.Min(top, candidates.Count);
        var baseTop = TopIds(candidates, baseline, n);
        var variants = new List<RankingVariant>();
        void Add(string name, int s, double b)
        {
            var scores = candidates.Select(c => Total(c.Final, s, b)).ToList();
            var overlap = TopIds(candidates, scores, n).Intersect(baseTop, StringComparer.Ordinal).Count();
            variants.Add(new RankingVariant(name, s, b, Correlation.Spearman(baseline, scores), n, overlap));
        }
        Add("other sign", -sign, beta);
        if (otherBeta != beta)
        {
            Add($"beta {otherBeta.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}", sign, otherBeta);
            Add($"other sign, beta {otherBeta.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}", -sign, otherBeta);
        }
        Add("no disentanglement (beta 0)", sign, 0);
        return new ScoreSensitivityResult(candidates.Count, sign, beta, variants);
    }

    /// <summary>S of stored components under another sign and β (<see cref="InformativenessScore.Combine"/>).</summary>
    public static double Total(ScoreComponents c, int sign, double beta) =>
        InformativenessScore.Combine(c.ValueConformity, c.ValueDiversity, c.OpinionDiversity, c.Disentanglement, sign, beta);

    private static HashSet<string> TopIds(
        IReadOnlyList<(string Id, ScoreComponents Final)> candidates,
        IReadOnlyList<double> scores,
        int n
    ) =>
        candidates
            .Select((c, i) => (c.Id, Score: scores[i]))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(n)
            .Select(x => x.Id)
            .ToHashSet(StringComparer.Ordinal);
}
