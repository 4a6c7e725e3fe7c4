using System.Text;
using Adaem.Core.Analysis.Validity;
using static Adaem.Reports.Html.Html;

namespace Adaem.Reports.Html;

/// <summary>The report's validity subsections for the instrument checks (`adaem validate score` and `validate judge`).</summary>
internal static class ValiditySections
{
    public static void Score(StringBuilder sb, ScoreSensitivityResult s)
    {
        sb.Append("<h3>Sensitivity of the selection to the score's choices</h3>");
        sb.Append(
                $"<p>The run's {N(s.Candidates)} candidates re-ranked from their stored final-score components (no model call); the run used "
            )
            .Append(
                $"disentanglement sign {(s.Sign >= 0 ? "+" : "−")} and β = {F(s.Beta, 2)}. The bandit was steered by the run's own scores, so this measures the selection only.</p>"
            );
        sb.Append(
            "<table><thead><tr><th>variant</th><th>sign</th><th>β</th><th>Spearman with the run's ranking</th><th>top-N overlap</th></tr></thead><tbody>"
        );
        foreach (var v in s.Variants)
            sb.Append(
                $"<tr><td>{E(v.Name)}</td><td>{(v.Sign >= 0 ? "+" : "−")}</td><td>{F(v.Beta, 2)}</td><td>{F(v.Spearman, 3)}</td><td>{N(v.TopOverlap)} of {N(v.TopN)} ({Pct(v.TopOverlapShare)})</td></tr>"
            );
        sb.Append("</tbody></table>");
    }

    public static void Judge(StringBuilder sb, JudgeAgreementResult j)
    {
        sb.Append("<h3>Agreement of the judge with another judge</h3>");
        sb.Append(
                $"<p>{N(j.Answers)} answers to {N(j.Questions)} random questions (seed {j.Seed}), labelled by the run's judge <code>{E(j.RunJudge)}</code> ({E(j.RunMode)}) "
            )
            .Append(
                $"and again by <code>{E(j.OtherJudge)}</code> ({E(j.OtherMode)}); {N(j.OtherFailures)} answers the other judge could not label are left out. "
            )
            .Append(
                $"Mean Cohen's κ {F(j.MeanKappa, 3)}; mean rank correlation of the targets' scores on the sample {F(j.MeanScoreSpearman, 3)}.</p>"
            );
        sb.Append(
            "<table><thead><tr><th>value</th><th>opinions</th><th>Cohen's κ</th><th>agreement</th><th>run judge: yes</th><th>other judge: yes</th><th>score rank correlation</th></tr></thead><tbody>"
        );
        foreach (var v in j.Values)
            sb.Append(
                $"<tr><td>{E(v.Value)}</td><td>{N(v.Opinions)}</td><td>{F(v.Kappa, 3)}</td><td>{Pct(v.Agreement)}</td><td>{Pct(v.RunPositiveRate)}</td><td>{Pct(v.OtherPositiveRate)}</td><td>{F(v.ScoreSpearman, 3)}</td></tr>"
            );
        sb.Append("</tbody></table>");
    }
}
