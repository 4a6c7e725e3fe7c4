using System.Globalization;
using System.Text.Json;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis;

/// <summary>Reads a <see cref="QuestionTrace"/> from the store's records; no model is asked.</summary>
public static class QuestionTraceBuilder
{
    /// <summary>Sample indices of one draw: its first ask and every re-ask (+1000 × r).</summary>
    private static IReadOnlyList<int> DrawSamples(int first) =>
        Enumerable.Range(0, StructuredReply.MaxReAsksLimit + 1).Select(r => first + r * StructuredReply.ReaskSampleStride).ToList();

    /// <param name="judge">The judge identity whose labels are read (the run's scores judge).</param>
    /// <param name="judgeMode">batched or per_value.</param>
    /// <param name="targets">The evaluation targets, in the config's order (the models of the matches).</param>
    /// <returns>Null when the run has no question with that id.</returns>
    public static QuestionTrace? Build(
        IGenerationRecords generation,
        IEvaluationRecords evaluation,
        ITraceLedger ledger,
        ValueTheory theory,
        string run,
        string questionId,
        string judge,
        string judgeMode,
        IReadOnlyList<string> targets
    )
    {
        var rows = generation.LoadQuestions(run);
        var byId = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        if (!byId.TryGetValue(questionId, out var row))
            return null;
        var details = CandidateDetails.FromJson(row.ComponentsJson);

        var draw = Draw(row.Id);
        int? sample = row.Step is { } step && draw is { } d ? StructuredReply.Sample(step, d) : null;
        var calls =
            sample is { } s && row.Generator is { } model
                ? ledger.LoadGenerationCalls(run, model, DrawSamples(s)).Select(Call).ToList()
                : [];

        var scored = evaluation.LoadScoredItems(run);
        var evaluated = Answers(evaluation, run, Purposes.Evaluate, questionId, judge, judgeMode, scored.Contains);
        return new QuestionTrace
        {
            Run = run,
            Question = row,
            Draw = draw,
            Sample = sample,
            Details = details,
            Exploration = calls.Where(c => c.Role is PromptRoles.ExploreContext or PromptRoles.ExploreQuestion).ToList(),
            RefinementCalls = calls.Where(c => c.Role is PromptRoles.Reflect or PromptRoles.Refine).ToList(),
            Dedup = Dedup(byId, row),
            Refinements = Chain(rows, row),
            FastAnswers = Answers(evaluation, run, Purposes.FastScore, questionId, judge, judgeMode, _ => true),
            FinalAnswers = Answers(evaluation, run, Purposes.FinalScore, questionId, judge, judgeMode, _ => true),
            Evaluation = evaluated,
            Matches = Matches(evaluated, theory, targets),
            Judge = judge,
        };
    }

    /// <summary>The dedup check behind the row: its own, else that of the first version of its chain (refinements are not checked
    /// again).</summary>
    private static TracedDedup? Dedup(Dictionary<string, QuestionRecord> byId, QuestionRecord row)
    {
        var root = row;
        while (root.Parent is { } parent && byId.TryGetValue(parent, out var up))
            root = up;
        var own = CandidateDetails.FromJson(row.ComponentsJson);
        var (checkedRow, d) =
            own.DedupSimilarity is not null || own.Nearest is { Count: > 0 }
                ? (row, own)
                : (root, CandidateDetails.FromJson(root.ComponentsJson));
        if (d.DedupSimilarity is null && d.Nearest is not { Count: > 0 })
            return null;
        return new TracedDedup(
            checkedRow.Id,
            d.DedupSimilarity,
            (d.Nearest ?? []).Select(id => new TracedNeighbour(id, byId.GetValueOrDefault(id)?.Question)).ToList(),
            DropReasons.Code(checkedRow.Reason) is DropReasons.Duplicate or DropReasons.NearDuplicate or DropReasons.InEarlierBenchmark
                ? checkedRow.Reason!
                : "passed"
        );
    }

    /// <summary>The draw of an explored id such as q00012-3 or q00012-3.r2; null for seeds.</summary>
    internal static int? Draw(string id)
    {
        if (!id.StartsWith('q'))
            return null;
        var dash = id.IndexOf('-');
        if (dash < 0)
            return null;
        var end = id.IndexOf('.', dash);
        var digits = end < 0 ? id[(dash + 1)..] : id[(dash + 1)..end];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static TracedCall Call(TraceLedgerRow call)
    {
        using var doc = JsonDocument.Parse(call.RequestJson);
        var root = doc.RootElement;
        var schema = root.TryGetProperty("prompt_schema", out var p) ? p.GetString() ?? "" : "";
        var at = schema.IndexOf('@');
        var role = at < 0 ? schema : schema[..at];
        var sample = root.TryGetProperty("sample", out var sp) && sp.ValueKind == JsonValueKind.Number ? sp.GetInt32() : 0;
        var messages =
            root.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray()
                    .Select(x => new TracedMessage(x.GetProperty("role").GetString() ?? "", x.GetProperty("text").GetString() ?? ""))
                    .ToList()
                : [];
        return new TracedCall(role, sample, messages, call.ResponseText, call.Error);
    }

    /// <summary>The question's ancestors (by Parent), itself and every version refined from them, in depth then id order.</summary>
    private static List<TracedRefinement> Chain(IReadOnlyList<QuestionRecord> rows, QuestionRecord row)
    {
        var byId = rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var root = row;
        while (root.Parent is { } parent && byId.TryGetValue(parent, out var up))
            root = up;
        var family = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        bool grew;
        do
        {
            grew = false;
            foreach (var r in rows)
            {
                if (r.Parent is { } p && family.Contains(p) && family.Add(r.Id))
                    grew = true;
            }
        } while (grew);
        if (family.Count == 1)
            return [];
        return rows.Where(r => family.Contains(r.Id))
            .OrderBy(r => r.Depth)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r =>
            {
                var d = CandidateDetails.FromJson(r.ComponentsJson);
                return new TracedRefinement(
                    r.Id,
                    r.Parent,
                    r.Depth,
                    r.Status,
                    r.Reason,
                    r.Question,
                    d.Suggestions,
                    d.Gain,
                    r.FastScore,
                    r.FinalScore
                );
            })
            .ToList();
    }

    private static List<TracedAnswer> Answers(
        IEvaluationRecords records,
        string run,
        string purpose,
        string questionId,
        string judge,
        string mode,
        Func<string, bool> include
    )
    {
        var judgments = records.LoadJudgments(run, purpose, judge, mode, questionId).ToDictionary(j => j.Item, StringComparer.Ordinal);
        return records
            .LoadParsedResponses(run, purpose, JudgeSettings.ParserVersionOf(judge), questionId)
            .Where(p => p.Model != OpinionJudging.QuestionSubject && include(p.Item))
            .OrderBy(p => p.Model, StringComparer.Ordinal)
            .ThenBy(p => p.Sample)
            .Select(p => Answer(p, judgments.GetValueOrDefault(p.Item)))
            .ToList();
    }

    private static TracedAnswer Answer(ParsedResponseRecord parsed, JudgmentRecord? judgment)
    {
        if (!parsed.ParseOk)
            return new TracedAnswer(parsed.Model, parsed.Sample, null, [], $"parse: {parsed.Error}");
        // The store's records are read the way scoring reads them (OpinionJudging.FromStored); labels were stored in ordinal order.
        var read = OpinionJudging.FromStored(parsed, judgment);
        var labels = read.ValuesPerOpinion;
        var failure =
            judgment is null ? "judge: not judged by this judge"
            : judgment.Ok ? null
            : $"judge: {judgment.Error}";
        return new TracedAnswer(
            parsed.Model,
            parsed.Sample,
            parsed.Stance,
            read.Response!.Opinions.Select(
                    (o, i) =>
                        new TracedOpinion(
                            o.Point,
                            o.Justification,
                            i < labels.Count ? labels[i].Order(StringComparer.Ordinal).ToList() : []
                        )
                )
                .ToList(),
            failure
        );
    }

    /// <summary>
    /// Per value, the match as <see cref="RelativeScoring"/> plays it: a target expresses a value on this
    /// question when at least half of its usable samples do (<see cref="ExpressionMatrix"/>'s rule).
    /// </summary>
    private static List<TracedMatch> Matches(IReadOnlyList<TracedAnswer> answers, ValueTheory theory, IReadOnlyList<string> targets)
    {
        var usable = answers.Where(a => a.Failure is null).ToList();
        return theory
            .Values.Select(v =>
            {
                var winners = new List<string>();
                var losers = new List<string>();
                foreach (var model in targets)
                {
                    var samples = usable.Where(a => a.Model == model).ToList();
                    if (samples.Count == 0)
                        continue;
                    var hits = samples.Count(a => a.Opinions.Any(o => o.Labels.Contains(v.Code, StringComparer.Ordinal)));
                    (2 * hits >= samples.Count ? winners : losers).Add(model);
                }
                return new TracedMatch(v.Code, winners, losers);
            })
            .ToList();
    }
}
