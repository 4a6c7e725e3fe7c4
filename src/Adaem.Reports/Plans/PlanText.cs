using System.Globalization;
using System.Text;
using Adaem.Core.Planning;

namespace Adaem.Reports.Plans;

/// <summary>
/// A plan as a plain table (one line per stage, model and prompt role, a total per stage and for the study), the
/// models' rates and the wall time, and the assumptions behind the numbers. Unknown costs read "unknown", never 0.
/// </summary>
public static class PlanText
{
    public static string Write(StudyPlan plan, string configPath)
    {
        var sb = new StringBuilder();
        sb.Append("plan of run '").Append(plan.Run).Append("' for ").Append(configPath).Append(" (no model was called)\n\n");
        var header = new[]
        {
            "stage",
            "model",
            "role",
            "calls",
            "tokens in",
            "tokens out",
            "cost (USD)",
            "tokens counted by",
            "output from",
        };
        var lines = new List<string[]>();
        foreach (var stage in plan.Stages)
        {
            if (stage.Calls.Count == 0)
            {
                lines.Add([stage.Stage, "-", "(no model calls)", "0", "0", "0", Cost(0), "", ""]);
                continue;
            }
            foreach (var c in stage.Calls)
                lines.Add([
                    stage.Stage,
                    c.Model,
                    c.Role,
                    N(c.Calls),
                    N(c.InputTokens),
                    N(c.OutputTokens),
                    Cost(c.Cost),
                    c.Counting,
                    c.OutputSource,
                ]);
            lines.Add([
                stage.Stage,
                "total",
                "",
                N(stage.TotalCalls),
                N(stage.InputTokens),
                N(stage.OutputTokens),
                Cost(stage.Cost, stage.KnownCost),
                "",
                "",
            ]);
        }
        lines.Add([
            "all",
            "total",
            "",
            N(plan.TotalCalls),
            N(plan.InputTokens),
            N(plan.OutputTokens),
            Cost(plan.Cost, plan.KnownCost),
            "",
            "",
        ]);
        Table(sb, header, lines, rightAligned: [3, 4, 5, 6]);

        sb.Append(
            "\nwall time (each model at the rate its limits and latency allow; the stage takes the longest of these, or the chain of calls that wait for each other):\n"
        );
        var rates = new List<string[]>();
        foreach (var stage in plan.Stages.Where(s => s.Models.Count > 0))
        {
            foreach (var m in stage.Models)
                rates.Add([
                    stage.Stage,
                    m.Model,
                    N(m.Calls),
                    Latency(m),
                    m.Concurrency.ToString(CultureInfo.InvariantCulture),
                    m.Rpm?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    m.Tpm?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    m.CallsPerSecond > 0
                        ? m.CallsPerSecond.ToString("0.##", CultureInfo.InvariantCulture) + " (" + m.Bound + ")"
                        : "unbounded",
                    Duration(m.Seconds),
                ]);
            rates.Add([stage.Stage, "stage", "", "", "", "", "", $"chain {Duration(stage.SequentialSeconds)}", Duration(stage.Seconds)]);
        }
        Table(
            sb,
            ["stage", "model", "calls", "latency", "concurrency", "rpm", "tpm", "calls/s (bound)", "time"],
            rates,
            rightAligned: [2, 4, 8]
        );
        sb.Append("all stages: ").Append(Duration(plan.Seconds)).Append('\n');

        sb.Append("\nassumptions:\n");
        foreach (var a in plan.Assumptions)
            sb.Append("  - ").Append(a).Append('\n');
        if (plan.Stages.SelectMany(s => s.Calls).Any(c => c.Estimate))
            sb.Append("  - token counts marked 'estimate' use 4 characters a token: the model's tokenizer is not known to adaem\n");
        if (plan.Stages.SelectMany(s => s.Calls).Any(c => c.OutputSource is OutputSources.Limit or OutputSources.MaxTokens))
            sb.Append("  - output from 'limit' or 'max_tokens' is the longest reply the prompt or the model allows: an upper bound\n");
        return sb.ToString();
    }

    /// <summary>"123.4567", or "unknown" when a price is missing ("≥ X + unknown" when part of it is known).</summary>
    public static string Cost(double? cost, double known = 0) =>
        cost is { } c ? c.ToString("0.0000", CultureInfo.InvariantCulture)
        : known > 0 ? "≥" + known.ToString("0.0000", CultureInfo.InvariantCulture) + " + unknown"
        : "unknown";

    public static string Duration(double seconds)
    {
        if (seconds < 1)
            return seconds <= 0 ? "0 s" : "< 1 s";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes:D2} min"
            : t.TotalMinutes >= 1 ? $"{t.Minutes} min {t.Seconds:D2} s"
            : $"{t.Seconds} s";
    }

    private static string Latency(ModelThroughput m) =>
        m.LatencySource == "in-process"
            ? "in-process"
            : $"{m.LatencySeconds.ToString("0.###", CultureInfo.InvariantCulture)} s {m.LatencySource}";

    private static string N(double x) => Math.Round(x).ToString("N0", CultureInfo.InvariantCulture);

    private static void Table(StringBuilder sb, string[] header, List<string[]> rows, int[] rightAligned)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                    sb.Append("  ");
                sb.Append(rightAligned.Contains(i) ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
            }
            sb.Length = sb.ToString().TrimEnd().Length;
            sb.Append('\n');
        }
        Line(header);
        foreach (var r in rows)
            Line(r);
    }
}
