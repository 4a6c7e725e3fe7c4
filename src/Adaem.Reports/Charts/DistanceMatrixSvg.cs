using System.Text;
using Adaem.Core.Analysis;
using static Adaem.Reports.Html.Html;

namespace Adaem.Reports.Charts;

/// <summary>
/// The pairwise model distance matrix: RMS score difference per pair (colour and number); a pair whose
/// difference survives the Holm-corrected permutation test is outlined and starred.
/// </summary>
internal static class DistanceMatrixSvg
{
    private const int Cell = 70,
        LabelW = 150,
        HeaderH = 100;

    public static string Render(ModelDistanceMatrix d)
    {
        var n = d.Models.Count;
        var max = 0.0;
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            if (i != j && double.IsFinite(d.ScoreDistance[i][j]))
                max = Math.Max(max, d.ScoreDistance[i][j]);
        var width = LabelW + Cell * n + 90; // room for the last rotated column label
        var height = HeaderH + Cell * n + 4;
        var sb = new StringBuilder();
        sb.Append(
            $"<svg id=\"distance-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Pairwise distances between models\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\">"
        );
        for (var j = 0; j < n; j++)
        {
            var x = LabelW + j * Cell + Cell / 2.0;
            sb.Append($"<text transform=\"translate({C(x + 4)},{HeaderH - 8}) rotate(-45)\" font-size=\"13\">{E(d.Models[j])}</text>");
        }
        for (var i = 0; i < n; i++)
        {
            var y = HeaderH + i * Cell;
            sb.Append(
                $"<text x=\"{LabelW - 8}\" y=\"{C(y + Cell / 2.0 + 4)}\" text-anchor=\"end\" font-size=\"13\">{E(d.Models[i])}</text>"
            );
            for (var j = 0; j < n; j++)
            {
                var x = LabelW + j * Cell;
                if (i == j)
                {
                    sb.Append($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{Cell - 2}\" height=\"{Cell - 2}\" fill=\"#f3f3f3\"/>");
                    continue;
                }
                var dist = d.ScoreDistance[i][j];
                var frac = max > 0 ? dist / max : 0;
                var sig = d.Significant(i, j);
                var tip = $"{d.Models[i]} vs {d.Models[j]}: RMS score difference {F(dist)} points";
                if (d.P is not null)
                    tip +=
                        $"; expressed-profile difference {F(d.ExpressedDistance![i][j])} points over {d.QuestionsUsed![i][j]} shared questions; "
                        + $"permutation p = {PlainP(d.P[i][j])}, Holm-adjusted p = {PlainP(d.PAdjusted![i][j])}"
                        + (sig ? " (significant)" : " (not significant)");
                sb.Append($"<g class=\"cell{(sig ? " significant" : "")}\"><title>{E(tip)}</title>");
                sb.Append(
                    $"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{Cell - 2}\" height=\"{Cell - 2}\" rx=\"3\" fill=\"{ColorScale.Distance(frac)}\""
                        + (sig ? " stroke=\"#111\" stroke-width=\"2.5\"" : "")
                        + "/>"
                );
                var ink = ColorScale.TextOn(frac);
                sb.Append(
                    $"<text x=\"{C(x + Cell / 2.0)}\" y=\"{y + Cell / 2 + 5}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"{ink}\">{F(dist)}{(sig ? "*" : "")}</text></g>"
                );
            }
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string PlainP(double p) =>
        !double.IsFinite(p) ? "n/a"
        : p < 0.001 ? "< 0.001"
        : p.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
}
