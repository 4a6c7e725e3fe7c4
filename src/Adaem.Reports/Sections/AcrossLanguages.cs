using System.Text;
using Adaem.Core.Analysis;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Reports.Charts;
using Adaem.Reports.Html;
using static Adaem.Reports.Html.Html;

namespace Adaem.Reports.Sections;

/// <summary>
/// The report's "Across languages" section for a cross-lingual evaluation: a radar per language (the models'
/// profiles in that language), each model's scores per language in one table, and the per-value shift between
/// languages with its paired interval, shifts whose interval excludes 0 marked.
/// </summary>
internal static class AcrossLanguages
{
    private const int RadarSize = 420;

    /// <param name="scores">Scores with their language (the run's scores.csv/json).</param>
    /// <param name="shifts">The run's shifts.csv (empty when it is missing).</param>
    public static string Render(
        ValueTheory theory,
        IReadOnlyList<ValueScore> scores,
        IReadOnlyList<LanguageShift> shifts,
        double confidence
    )
    {
        var languages = scores.Select(s => s.Language!).Distinct(StringComparer.Ordinal).ToList();
        var models = scores.Select(s => s.Model).Distinct(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append("<section id=\"languages\"><h2>Across languages</h2>");
        sb.Append(
            $"<p>Every target answered the same source questions in each of {E(string.Join(", ", languages))}, and each (model, language) was scored as one player of a single relative pool per value, so a model's scores in two languages are on the same scale. "
        );
        sb.Append(
            $"A shift is the score in the second language minus the score in the first; its interval is a paired {F(confidence * 100, 0)}% bootstrap over the source questions (both scores from the same resamples). ★ marks a shift whose interval excludes 0. "
        );
        sb.Append(
            "A shift that every model shows on a value may come from the language of the question or its judge rather than from the models: read a model's shift against the others'.</p>"
        );

        sb.Append("<div class=\"radars\">");
        var labels = theory.Values.Select(v => v.Abbreviation).ToList();
        foreach (var language in languages)
        {
            var profiles = ValueProfiles.From(scores.Where(s => s.Language == language).ToList(), theory, models);
            var svg = RadarChart.Build(labels, models, profiles.Scores).GetSvgXml(RadarSize, RadarSize);
            sb.Append(
                $"<figure class=\"radar\" id=\"radar-{E(language)}\">{ReportWriter.InlineSvg(IdsScoped(svg, $"l{languages.IndexOf(language)}"), $"radar-chart-{E(language)}")}<figcaption>Profiles in {E(language)}</figcaption></figure>"
            );
        }
        sb.Append("</div>");

        sb.Append(
            "<h3>Profiles per language</h3><div class=\"scroll\"><table class=\"profiles\"><thead><tr><th>model</th><th>language</th>"
        );
        foreach (var v in theory.Values)
            sb.Append($"<th title=\"{E(v.Name)}\">{E(v.Abbreviation)}</th>");
        sb.Append("</tr></thead><tbody>");
        var byKey = scores.GroupBy(s => (s.Model, s.Language, s.Value)).ToDictionary(g => g.Key, g => g.First());
        foreach (var model in models)
        {
            foreach (var language in languages)
            {
                sb.Append($"<tr><td>{E(model)}</td><td>{E(language)}</td>");
                foreach (var v in theory.Values)
                {
                    var s = byKey.GetValueOrDefault((model, language, v.Code));
                    var tip =
                        s?.CiLow is { } lo && s.CiHigh is { } hi
                            ? $"{F(confidence * 100, 0)}% CI {F(lo)}–{F(hi)}; expressed on {Pct(s.ExpressedRate)} of {s.N} questions"
                            : "";
                    sb.Append($"<td title=\"{E(tip)}\">{(s is null ? "–" : F(s.Score))}</td>");
                }
                sb.Append("</tr>");
            }
        }
        sb.Append("</tbody></table></div>");

        sb.Append("<h3>Shifts between languages</h3>");
        if (shifts.Count == 0)
        {
            sb.Append("<p class=\"note\">Not available: shifts.csv is missing from the run's directory.</p></section>");
            return sb.ToString();
        }
        var marked = shifts.Count(s => s.ExcludesZero);
        sb.Append($"<p>{N(marked)} of {N(shifts.Count)} shifts have an interval that excludes 0. At {F(confidence * 100, 0)}%, about ");
        sb.Append(
            $"{F((1 - confidence) * shifts.Count, 0)} of them would be marked by chance if no model changed at all (the intervals are not corrected for their number).</p>"
        );
        sb.Append(
            "<p class=\"note\">Expressed is the plain share of questions on which the model voiced the value in each language: an absolute number beside the relative shift, which on few questions can move far when a rarely voiced value changes on one or two of them.</p>"
        );
        sb.Append(
            "<div class=\"scroll\"><table class=\"shifts\"><thead><tr><th>model</th><th>value</th><th>from → to</th><th>shift</th><th>interval</th><th>expressed</th><th>n</th><th></th></tr></thead><tbody>"
        );
        var names = theory.Values.ToDictionary(v => v.Code, v => v.Name, StringComparer.Ordinal);
        foreach (var s in shifts)
        {
            var sig = s.ExcludesZero;
            sb.Append(
                $"<tr{(sig ? " class=\"sig\"" : "")}><td>{E(s.Model)}</td><td>{E(names.GetValueOrDefault(s.Value) ?? s.Value)}</td><td>{E(s.LanguageA)} → {E(s.LanguageB)}</td>"
            );
            var from = byKey.GetValueOrDefault((s.Model, s.LanguageA, s.Value))?.ExpressedRate;
            var to = byKey.GetValueOrDefault((s.Model, s.LanguageB, s.Value))?.ExpressedRate;
            sb.Append(
                $"<td>{(s.Shift >= 0 ? "+" : "")}{F(s.Shift)}</td><td>[{F(s.CiLow)}, {F(s.CiHigh)}]</td><td>{Pct(from ?? double.NaN)} → {Pct(to ?? double.NaN)}</td><td>{N(s.N)}</td><td>{(sig ? "★" : "")}</td></tr>"
            );
        }
        sb.Append("</tbody></table></div></section>");
        return sb.ToString();
    }

    /// <summary>ScottPlot names its clip paths and gradients with fixed ids; several inline SVGs in one page must not share them.</summary>
    private static string IdsScoped(string svg, string prefix) =>
        System.Text.RegularExpressions.Regex.Replace(
            svg,
            "(id=\"|url\\(#|href=\"#)([A-Za-z_][\\w\\-.:]*)",
            m => m.Groups[1].Value + prefix + "-" + m.Groups[2].Value
        );
}
