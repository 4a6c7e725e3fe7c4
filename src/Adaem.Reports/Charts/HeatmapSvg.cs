using System.Text;
using Adaem.Core.Analysis;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using static Adaem.Reports.Html.Html;

namespace Adaem.Reports.Charts;

/// <summary>
/// The model × value heatmap: each cell is a model's 0–100 score on a value (colour and number) with its
/// confidence interval underneath; hovering shows the expressed rate and n.
/// </summary>
internal static class HeatmapSvg
{
    private const int CellW = 84,
        CellH = 48,
        LabelW = 150,
        HeaderH = 40;

    public static string Render(ValueTheory theory, ValueProfiles profiles, IReadOnlyList<ValueScore> scores, double confidence)
    {
        var byKey = scores.GroupBy(s => (s.Model, s.Value)).ToDictionary(g => g.Key, g => g.First());
        var width = LabelW + CellW * theory.Count + 4;
        var height = HeaderH + CellH * profiles.Models.Count + 4;
        var sb = new StringBuilder();
        sb.Append(
            $"<svg id=\"heatmap-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Scores per model and value\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\">"
        );
        for (var v = 0; v < theory.Count; v++)
        {
            var x = LabelW + v * CellW + CellW / 2.0;
            sb.Append(
                $"<text x=\"{C(x)}\" y=\"{HeaderH - 12}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\"><title>{E(theory.Values[v].Name)}</title>{E(theory.Values[v].Abbreviation)}</text>"
            );
        }
        for (var m = 0; m < profiles.Models.Count; m++)
        {
            var y = HeaderH + m * CellH;
            sb.Append(
                $"<text x=\"{LabelW - 8}\" y=\"{C(y + CellH / 2.0 + 4)}\" text-anchor=\"end\" font-size=\"13\">{E(profiles.Models[m])}</text>"
            );
            for (var v = 0; v < theory.Count; v++)
            {
                var x = LabelW + v * CellW;
                var score = profiles.Scores[m][v];
                var fill = ColorScale.Score(score);
                var ink = ColorScale.TextOn(score / 100);
                byKey.TryGetValue((profiles.Models[m], theory.Values[v].Code), out var s);
                var ci = s?.CiLow is { } lo && s.CiHigh is { } hi ? $"[{F(lo, 0)}–{F(hi, 0)}]" : "no CI";
                var tip = s is null
                    ? "no score"
                    : $"{profiles.Models[m]} · {theory.Values[v].Name}: {F(score)}"
                        + (s.CiLow is not null ? $" ({F(confidence * 100, 0)}% CI {F(s.CiLow)}–{F(s.CiHigh)})" : "")
                        + (double.IsFinite(s.ExpressedRate) ? $"; expressed on {Pct(s.ExpressedRate)} of {s.N} questions" : "");
                sb.Append($"<g class=\"cell\"><title>{E(tip)}</title>");
                sb.Append($"<rect x=\"{x + 1}\" y=\"{y + 1}\" width=\"{CellW - 2}\" height=\"{CellH - 2}\" rx=\"3\" fill=\"{fill}\"/>");
                sb.Append(
                    $"<text x=\"{C(x + CellW / 2.0)}\" y=\"{y + 21}\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\" fill=\"{ink}\">{F(score)}</text>"
                );
                sb.Append(
                    $"<text x=\"{C(x + CellW / 2.0)}\" y=\"{y + 38}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{ink}\">{E(ci)}</text></g>"
                );
            }
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
