using System.Text;
using Adaem.Core.Analysis;
using Adaem.RunFiles;
using static Adaem.Reports.Html.Html;

namespace Adaem.Reports.Html;

/// <summary>What compare.html names: the two runs (label and where they came from) and the adaem version.</summary>
public sealed record CompareInput(string LabelA, string SourceA, string LabelB, string SourceB, RunComparisonResult Result)
{
    public string? AdaemVersion { get; init; }
}

/// <summary>compare.html and compare.csv, written atomically into one folder.</summary>
public static class CompareWriter
{
    public const string HtmlFileName = "compare.html";

    public static (string Csv, string Html) Write(CompareInput input, string dir)
    {
        Directory.CreateDirectory(dir);
        var csv = CompareFile.Write(dir, input.Result);
        var html = Path.Combine(dir, HtmlFileName);
        AtomicFile.WriteText(html, new CompareReport(input).Render());
        return (csv, html);
    }
}

/// <summary>The comparison page, in the report's style: self-contained, nothing fetched from the network.</summary>
internal sealed class CompareReport(CompareInput input)
{
    private readonly StringBuilder _sb = new();
    private RunComparisonResult R => input.Result;

    public string Render()
    {
        _sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        _sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        _sb.Append(
            $"<title>adaem compare · {E(input.LabelA)} vs {E(input.LabelB)}</title><style>{ReportStyle.Css}</style></head><body><main>"
        );
        _sb.Append($"<header><h1>Comparing runs <code>{E(input.LabelA)}</code> (A) and <code>{E(input.LabelB)}</code> (B)</h1>");
        _sb.Append(
            $"<p class=\"lede\">A: {E(input.SourceA)}. B: {E(input.SourceB)}. Scores are relative win rates (0–100) within each run's pool of models and questions, "
        );
        _sb.Append(
            "so a difference mixes a change in a model with a change in the pool, the questions or the judge. Differences are B − A.</p>"
        );
        _sb.Append(
            "<nav><a href=\"#scores\">Scores</a><a href=\"#ranks\">Rank agreement</a><a href=\"#order\">Order changes</a></nav></header>"
        );
        Scores();
        Ranks();
        Order();
        _sb.Append("<footer>Written by adaem");
        if (input.AdaemVersion is { } v)
            _sb.Append($" {E(v)}");
        _sb.Append(". This page is self-contained: it loads nothing from the network.</footer></main></body></html>\n");
        return _sb.ToString();
    }

    private void Scores()
    {
        _sb.Append("<section id=\"scores\"><h2>Scores per model and value</h2>");
        _sb.Append(
            "<p class=\"lede\">Each run's score with its interval as stored, the difference, and the expression rate (the share of answers expressing the value) in each run.</p>"
        );
        _sb.Append(
            "<div class=\"scroll\"><table><thead><tr><th>Model</th><th>Value</th><th>Score A [interval]</th><th>Score B [interval]</th><th>Difference</th><th>Expressed A</th><th>Expressed B</th><th>Shift</th></tr></thead><tbody>"
        );
        foreach (var s in R.Shifts)
        {
            _sb.Append(
                $"<tr><td>{E(s.Model)}</td><td>{E(s.Value)}</td><td>{Score(s.A)}</td><td>{Score(s.B)}</td><td>{Signed(s.Difference)}</td>"
            );
            _sb.Append(
                $"<td>{(s.A is { } a ? Pct(a.ExpressedRate) : "–")}</td><td>{(s.B is { } b ? Pct(b.ExpressedRate) : "–")}</td><td>{SignedPoints(s.ExpressedShift)}</td></tr>"
            );
        }
        _sb.Append("</tbody></table></div></section>");
    }

    private void Ranks()
    {
        _sb.Append("<section id=\"ranks\"><h2>Rank agreement per value</h2>");
        _sb.Append(
            "<p class=\"lede\">Spearman's rho between the two runs' scores, over the models scored in both: 1 is the same order, 0 unrelated, −1 reversed. With fewer than two models, or a value where every model scores the same, it is undefined (–).</p>"
        );
        _sb.Append("<table><thead><tr><th>Value</th><th>Models in both</th><th>Spearman rho</th></tr></thead><tbody>");
        foreach (var r in R.Ranks)
            _sb.Append($"<tr><td>{E(r.Value)}</td><td>{r.Models}</td><td>{F(r.Spearman, 2)}</td></tr>");
        _sb.Append("</tbody></table></section>");
    }

    private void Order()
    {
        var changed = R.OrderChanges.Count(o => o.BeyondNoise);
        _sb.Append("<section id=\"order\"><h2>Order changes</h2>");
        _sb.Append(
            $"<p class=\"lede\">Every pair of models scored on a value in both runs was tested ({R.PairsTested} pairs), whether or not its order changed; "
        );
        _sb.Append(
            R.SharedQuestions > 0
                ? $"{R.PairedTests} by a paired permutation test over the questions both runs answered ({N(R.SharedQuestions)} shared in all; a pair needs {RunComparison.MinPairedQuestions}, or all of its questions on one side, to be tested paired) and {R.PairsTested - R.PairedTests} by a bootstrap over each run's questions ({N(R.Resamples)} resamples each)"
                : $"by a bootstrap over each run's questions ({N(R.Resamples)} resamples; the runs share no question)"
        );
        _sb.Append(
            $" of the change in the pair's expression-rate gap. p-values are two-sided and Holm-adjusted over all {R.PairsTested} pairs tested; the table lists the {R.OrderChanges.Count} pairs ordered differently in the two runs, "
        );
        _sb.Append($"{changed} changed order beyond noise (adjusted p &lt; 0.05).</p>");
        if (R.OrderChanges.Count == 0)
        {
            _sb.Append("</section>");
            return;
        }
        _sb.Append(
            "<div class=\"scroll\"><table><thead><tr><th>Value</th><th>Pair</th><th>Test</th><th>Questions A / B</th><th>Gap A</th><th>Gap B</th><th>p</th><th>Holm p</th><th>Verdict</th></tr></thead><tbody>"
        );
        foreach (var o in R.OrderChanges)
        {
            _sb.Append(
                $"<tr><td>{E(o.Value)}</td><td>{E(o.First)} vs {E(o.Second)}</td><td>{E(o.Test)}</td><td>{o.QuestionsA} / {o.QuestionsB}</td>"
            );
            _sb.Append($"<td>{SignedPoints(o.GapA)}</td><td>{SignedPoints(o.GapB)}</td><td>{P(o.P)}</td><td>{P(o.HolmP)}</td>");
            _sb.Append($"<td>{(o.BeyondNoise ? "<strong>changed order beyond noise</strong>" : "within noise")}</td></tr>");
        }
        _sb.Append("</tbody></table></div></section>");
    }

    private static string Score(Core.Evaluation.ValueScore? s) =>
        s is null ? "–"
        : s.CiLow is { } lo && s.CiHigh is { } hi ? $"{F(s.Score)} [{F(lo)}, {F(hi)}]"
        : F(s.Score);

    private static string Signed(double d) => double.IsFinite(d) ? (d > 0 ? "+" : "") + F(d) : "–";

    /// <summary>A rate difference in percentage points.</summary>
    private static string SignedPoints(double d) => double.IsFinite(d) ? (d > 0 ? "+" : "") + F(d * 100) + " pp" : "–";
}
