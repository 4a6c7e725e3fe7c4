using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis.Validity;

/// <summary>How two judges agree on one value over the same opinions.</summary>
/// <param name="Kappa">Cohen's κ (NaN when chance agreement is 1, i.e. both judges never or always say yes).</param>
/// <param name="Agreement">Share of opinions on which the two judges agree.</param>
/// <param name="RunPositiveRate">Share of opinions the run's judge labels with the value.</param>
/// <param name="OtherPositiveRate">Share the other judge labels with it.</param>
/// <param name="ScoreSpearman">Rank correlation of the targets' scores on the value, scored on the sample with each judge's labels.</param>
public sealed record ValueAgreement(
    string Value,
    int Opinions,
    double Kappa,
    double Agreement,
    double RunPositiveRate,
    double OtherPositiveRate,
    double ScoreSpearman
);

/// <summary>The result of `adaem validate judge`: the run's judge against another judge mode or model on a sample of the run's
/// answers.</summary>
public sealed record JudgeAgreementResult
{
    public string RunJudge { get; init; } = "";
    public string RunMode { get; init; } = "";
    public string OtherJudge { get; init; } = "";
    public string OtherMode { get; init; } = "";
    public int Questions { get; init; }
    public int Answers { get; init; }

    /// <summary>Sampled answers the other judge could not label (left out of the comparison).</summary>
    public int OtherFailures { get; init; }
    public long Seed { get; init; }
    public IReadOnlyList<ValueAgreement> Values { get; init; } = [];
    public double MeanKappa => Mean(Values.Select(v => v.Kappa));
    public double MeanScoreSpearman => Mean(Values.Select(v => v.ScoreSpearman));

    private static double Mean(IEnumerable<double> xs)
    {
        var finite = xs.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }
}

/// <summary>
/// Compares two judges' labels of the same opinions (the run's answers): per value Cohen's κ, raw
/// agreement and each side's positive rate, and how the targets' scores on the sample would move
/// (Spearman over targets of the scores computed with each judge's labels). Adaem's default batched
/// judge is a different instrument from the paper's one Yes/No call per opinion and value (Listing 4); this
/// is how a user measures whether it agrees on their own run.
/// </summary>
public static class JudgeAgreement
{
    public static IReadOnlyList<ValueAgreement> Compare(
        IReadOnlyList<JudgedResponse> byRun,
        IReadOnlyList<JudgedResponse> byOther,
        ValueTheory theory,
        EvaluationConfig config,
        IReadOnlyList<string> targets,
        CancellationToken cancellationToken
    )
    {
        var other = byOther.Where(r => !r.Failed).ToDictionary(r => r.Item, StringComparer.Ordinal);
        var pairs = byRun
            .Where(r => !r.Failed && other.ContainsKey(r.Item) && other[r.Item].ValuesPerOpinion.Count == r.ValuesPerOpinion.Count)
            .Select(r => (Run: r, Other: other[r.Item]))
            .ToList();
        var runScores = new RelativeScoring().Score(pairs.Select(p => p.Run).ToList(), theory, config, targets, cancellationToken);
        var otherScores = new RelativeScoring().Score(pairs.Select(p => p.Other).ToList(), theory, config, targets, cancellationToken);

        var result = new List<ValueAgreement>();
        foreach (var value in theory.Values)
        {
            int both = 0,
                runOnly = 0,
                otherOnly = 0,
                neither = 0;
            foreach (var (run, oth) in pairs)
            {
                for (var i = 0; i < run.ValuesPerOpinion.Count; i++)
                {
                    var a = run.ValuesPerOpinion[i].Contains(value.Code);
                    var b = oth.ValuesPerOpinion[i].Contains(value.Code);
                    if (a && b)
                        both++;
                    else if (a)
                        runOnly++;
                    else if (b)
                        otherOnly++;
                    else
                        neither++;
                }
            }
            var n = both + runOnly + otherOnly + neither;
            var agreement = n == 0 ? double.NaN : (double)(both + neither) / n;
            var pRun = n == 0 ? double.NaN : (double)(both + runOnly) / n;
            var pOther = n == 0 ? double.NaN : (double)(both + otherOnly) / n;
            var chance = pRun * pOther + (1 - pRun) * (1 - pOther);
            var kappa = n == 0 || chance >= 1 ? double.NaN : (agreement - chance) / (1 - chance);
            result.Add(
                new ValueAgreement(
                    value.Code,
                    n,
                    kappa,
                    agreement,
                    pRun,
                    pOther,
                    ScoreSpearman(runScores, otherScores, value.Code, targets)
                )
            );
        }
        return result;
    }

    private static double ScoreSpearman(
        IReadOnlyList<ValueScore> a,
        IReadOnlyList<ValueScore> b,
        string value,
        IReadOnlyList<string> targets
    )
    {
        var x = new List<double>();
        var y = new List<double>();
        foreach (var t in targets)
        {
            var sa = a.FirstOrDefault(s => s.Model == t && s.Value == value);
            var sb = b.FirstOrDefault(s => s.Model == t && s.Value == value);
            if (sa is null || sb is null)
                continue;
            x.Add(sa.Score);
            y.Add(sb.Score);
        }
        return x.Count < 2 ? double.NaN : Correlation.Spearman(x, y);
    }
}
