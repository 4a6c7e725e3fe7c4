using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Adaem.Core.Analysis;
using Adaem.Core.Generation;

namespace Adaem.RunFiles;

/// <summary>Writes a <see cref="QuestionTrace"/> as trace-ID.json or trace-ID.txt, replacing the file atomically.</summary>
public static class TraceFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file name for a question id (ids are letters, digits, '-', '.', ':'; ':' becomes '_').</summary>
    public static string FileName(string questionId, string format) => $"trace-{questionId.Replace(':', '_').Replace('/', '_')}.{format}";

    public static string WriteJson(string dir, QuestionTrace trace)
    {
        var path = Path.Combine(dir, FileName(trace.Question.Id, "json"));
        AtomicFile.WriteText(path, JsonSerializer.Serialize(trace, Json) + "\n");
        return path;
    }

    public static string WriteText(string dir, QuestionTrace trace)
    {
        var path = Path.Combine(dir, FileName(trace.Question.Id, "txt"));
        AtomicFile.WriteText(path, w => Render(w, trace));
        return path;
    }

    private static string F(double? x) => x is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    /// <summary>A plain-text reading of the trace, section by section.</summary>
    public static void Render(TextWriter w, QuestionTrace t)
    {
        var q = t.Question;
        w.WriteLine($"question {q.Id} (run {t.Run})");
        w.WriteLine($"  text: {q.Question}");
        if (q.Argument is not null)
            w.WriteLine($"  argument: {q.Argument}");
        w.WriteLine($"  arm: {q.Arm ?? "-"}   seed: {q.Seed ?? "-"}");
        w.WriteLine(
            $"  generator: {q.Generator ?? "-"}   step: {q.Step?.ToString(CultureInfo.InvariantCulture) ?? "-"}   draw: {t.Draw?.ToString(CultureInfo.InvariantCulture) ?? "-"}   depth: {q.Depth}"
        );
        w.WriteLine($"  status: {q.Status}{(q.Reason is null ? "" : "   reason: " + q.Reason)}");
        w.WriteLine($"  fast score: {F(q.FastScore)}   final score: {F(q.FinalScore)}");
        if (t.Details.Information is not null)
            w.WriteLine($"  context found: {t.Details.Information}");
        if (t.Translations is { } translations)
        {
            foreach (var tr in translations)
                w.WriteLine(
                    $"  translated into {tr.Language} by {tr.Translator} ({tr.PromptVersion}): {(tr.Text is { } text ? text : "failed: " + tr.Error)}"
                );
        }

        Calls(w, "exploration", t.Exploration);

        w.WriteLine();
        if (t.Dedup is not { } dedup)
        {
            w.WriteLine("dedup: no check stored");
        }
        else
        {
            w.WriteLine($"dedup: {dedup.Checked} had mean similarity {F(dedup.Similarity)} to its nearest; decision: {dedup.Decision}");
            foreach (var n in dedup.Nearest)
                w.WriteLine($"  {n.Id}: {n.Text ?? "(not in this run)"}");
        }

        Components(w, "fast score (explorers)", t.Details.Fast, t.FastAnswers);
        Components(w, "final score (scorers)", t.Details.Final, t.FinalAnswers);

        if (t.Refinements.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("refinement chain:");
            foreach (var r in t.Refinements)
            {
                w.WriteLine(
                    $"  {r.Id} depth {r.Depth} {r.Status}  fast {F(r.FastScore)}  gain {F(r.Gain)}{(r.Reason is null ? "" : "  " + r.Reason)}"
                );
                if (r.Suggestions is not null)
                    w.WriteLine($"    suggestions: {r.Suggestions}");
                w.WriteLine($"    question: {r.Question}");
            }
            Calls(w, "refinement calls", t.RefinementCalls);
        }

        Answers(w, $"evaluation answers (judge {t.Judge ?? "-"})", t.Evaluation);
        w.WriteLine();
        w.WriteLine("TrueSkill matches per value (winners expressed it, losers answered without it):");
        foreach (var m in t.Matches)
        {
            w.WriteLine(
                m.IsMatch
                    ? $"  {m.Value}: {string.Join(", ", m.Winners)} beat {string.Join(", ", m.Losers)}"
                    : $"  {m.Value}: no match ({(m.Winners.Count == 0 ? "none" : "all")} of {m.Winners.Count + m.Losers.Count} express it)"
            );
        }
    }

    private static void Calls(TextWriter w, string title, IReadOnlyList<TracedCall> calls)
    {
        w.WriteLine();
        w.WriteLine($"{title}: {calls.Count} call(s)");
        foreach (var c in calls)
        {
            w.WriteLine($"  [{c.Role}, sample {c.Sample}]");
            foreach (var m in c.Messages)
                w.WriteLine($"    {m.Role}: {Indent(m.Text)}");
            w.WriteLine(c.Error is null ? $"    reply: {Indent(c.Reply ?? "")}" : $"    error: {c.Error}");
        }
    }

    private static void Components(TextWriter w, string title, ScoreComponents? s, IReadOnlyList<TracedAnswer> answers)
    {
        w.WriteLine();
        if (s is null)
        {
            w.WriteLine($"{title}: none stored");
        }
        else
        {
            w.WriteLine(
                $"{title}: S = {F(s.Total)} = R_VC {F(s.ValueConformity)} + R_VD {F(s.ValueDiversity)} + R_OD {F(s.OpinionDiversity)} "
                    + $"+ {s.Sign} × β/2 ({F(s.Beta / 2)}) × R_Dis {F(s.Disentanglement)}"
            );
            w.WriteLine($"  question values: {string.Join(", ", s.QuestionValues)}");
            foreach (var (model, values) in s.ModelValues)
                w.WriteLine($"  {model}: {string.Join(", ", values)}");
        }
        Answers(w, "  answers", answers);
    }

    private static void Answers(TextWriter w, string title, IReadOnlyList<TracedAnswer> answers)
    {
        w.WriteLine($"{title}: {answers.Count}");
        foreach (var a in answers)
        {
            w.WriteLine($"    {a.Model} sample {a.Sample}: stance {a.Stance ?? "-"}{(a.Failure is null ? "" : "  (" + a.Failure + ")")}");
            foreach (var o in a.Opinions)
                w.WriteLine(
                    $"      - {o.Point}{(o.Justification.Length == 0 ? "" : ": " + o.Justification)}  [{string.Join(", ", o.Labels)}]"
                );
        }
    }

    private static string Indent(string text) => text.Replace("\n", "\n      ", StringComparison.Ordinal);
}
