using System.Globalization;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;

namespace Adaem.Pipeline;

/// <summary>
/// `adaem evaluate` found too few usable answers to score anything (exit 1). Raised before any file is
/// written, so the files of the last good evaluation stay as they were.
/// </summary>
internal sealed class NothingScoredException(string message, IReadOnlyList<ModelFailures> failures) : RunFailedException(message)
{
    public IReadOnlyList<ModelFailures> Failures { get; } = failures;
}

/// <summary>
/// Whether an evaluation produced scores worth writing. Scores are relative (a target's win rate against
/// the other targets on the same questions), so at least two targets need a usable answer; with fewer
/// there is nothing to compare, and writing an empty or one-model scores.csv would look like a result.
/// </summary>
internal static class EvaluationOutcome
{
    /// <summary>Longest failure reason quoted per model.</summary>
    private const int ReasonLimit = 200;

    /// <summary>Throws <see cref="NothingScoredException"/> when fewer than two targets were scored.</summary>
    public static void RequireScored(StageContext context, IReadOnlyList<JudgedResponse> responses, IReadOnlyList<ValueScore> scores)
    {
        var scored = scores.Select(s => s.Model).Distinct(StringComparer.Ordinal).ToList();
        if (scored.Count >= 2)
            return;
        var failures = FailureTally.Of(responses);
        throw new NothingScoredException(Explain(context, responses, scored, failures), failures);
    }

    private static string Explain(
        StageContext context,
        IReadOnlyList<JudgedResponse> responses,
        IReadOnlyList<string> scored,
        IReadOnlyList<ModelFailures> failures
    )
    {
        var nl = Environment.NewLine;
        var usable = scored.Count == 0 ? "none had any" : $"only '{scored[0]}' had any";
        var lines = new List<string>
        {
            $"evaluate scored no target: scores compare the targets with each other, so at least two need usable answers, and {usable}.",
        };
        foreach (var model in responses.GroupBy(r => r.Model, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var all = model.Count();
            var f = failures.FirstOrDefault(x => x.Model == model.Key);
            var first = model.FirstOrDefault(r => r.Failed)?.Failure;
            var counts = f is null
                ? "no failures"
                : string.Join(
                    ", ",
                    new[] { (f.Unreadable, "unreadable"), (f.NotJudged, "not judged") }
                        .Where(x => x.Item1 > 0)
                        .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Item1:N0} of {all:N0} answers {x.Item2}"))
                );
            var reason = first is null ? "" : $" (first: {Shorten(first)})";
            lines.Add($"  {model.Key}: {counts}{reason}");
        }
        var opinions = context.Config.Evaluation.Opinions.ToString(CultureInfo.InvariantCulture);
        lines.Add(
            $"  Nothing was written: the files already in {context.OutDir} (if any) are those of the last evaluation that scored. Every finished model call is saved."
        );
        lines.Add(
            "  Fix: 'unreadable' means a model did not answer in adaem's format (check its model id and base_url, and that its max_tokens leaves room for "
                + $"{opinions} key points); 'not judged' means the judge's replies could not be read (check judge.model, or try judge mode 'per-value'). "
                + "Failed answers are stored and identical requests are answered from the cache, so running the same command unchanged reads the same failures back; "
                + "after fixing the cause in the config, run the command again (with --run NEW if adaem asks for a new run)."
        );
        return string.Join(nl, lines);
    }

    private static string Shorten(string reason)
    {
        var flat = reason.ReplaceLineEndings(" ").Trim();
        return flat.Length > ReasonLimit ? flat[..ReasonLimit] + "..." : flat;
    }
}
