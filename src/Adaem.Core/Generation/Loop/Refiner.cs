using System.Globalization;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>A question on its way through refinement, with its fast score and the answers behind it.</summary>
internal sealed record ScoredCandidate(
    QuestionRecord Record,
    CandidateDetails Details,
    ScoreOutcome Fast,
    IReadOnlySet<string> QuestionValues
);

/// <summary>The end of a refinement chain: the question to give a final score, and every version it went through.</summary>
internal sealed record RefinementResult(ScoredCandidate Final, IReadOnlyList<(QuestionRecord Record, CandidateDetails Details)> Discarded);

/// <summary>
/// Reflect-and-refine (Alg. 2's inner loop): the explorer reflects on the scorers' answers (Listing 7), rewrites
/// the question (Listing 8), and the rewrite is fast-scored; it replaces the question only when it gains more
/// than τ, and the chain stops at the first rewrite that does not, or after max_refinements rewrites
/// (the paper's tree depth). So the question kept is the last one that improved by more than τ, never
/// a rewrite that did not earn its place.
/// </summary>
internal sealed class Refiner(
    IChatClient explorer,
    string explorerName,
    string run,
    string stage,
    double threshold,
    int maxRefinements,
    Func<QuestionRecord, CancellationToken, Task<(IReadOnlySet<string> Values, ScoreOutcome Outcome)>> fastScore,
    Func<string, int, CancellationToken, Task<string?>>? safetyCheck = null,
    PromptLanguage? language = null
)
{
    /// <param name="sample">The first ask's sample index of every call in the chain (see <see cref="StructuredReply.Sample"/>);
    /// the versions' prompts differ, so sharing it is no cache collision.</param>
    public async Task<RefinementResult> RefineAsync(ScoredCandidate start, string general, int sample, CancellationToken cancellationToken)
    {
        var current = start;
        var discarded = new List<(QuestionRecord, CandidateDetails)>();
        for (var depth = start.Record.Depth + 1; depth <= start.Record.Depth + maxRefinements; depth++)
        {
            var id = $"{RootId(start.Record.Id)}.r{depth}";
            var variant = new QuestionRecord
            {
                Id = id,
                Arm = current.Record.Arm,
                Argument = current.Record.Argument,
                Seed = current.Record.Seed,
                Category = current.Record.Category,
                Generator = explorerName,
                Parent = current.Record.Id,
                Step = current.Record.Step,
                Depth = depth,
                Status = QuestionStatus.Rejected,
            };

            var responses = current
                .Fast.Responses.Where(r => !r.Failed && r.Response is not null)
                .Select(r => new ReflectedResponse(
                    r.Model,
                    r.Response!.Opinions.Select(o => o.Text).ToList(),
                    r.Expressed.Order(StringComparer.Ordinal).ToList()
                ))
                .ToList();
            var site = new CallSite(run, stage, sample);
            var reflection = await StructuredReply
                .AskAsync(
                    explorer,
                    ReflectPrompt.Create(general, current.Record.Question, current.Fast.Total, responses, language),
                    site,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (!reflection.Ok)
            {
                discarded.Add(
                    (variant with { Reason = $"{DropReasons.RefineFailed}: reflection: {reflection.Error}" }, new CandidateDetails())
                );
                break;
            }
            var suggestions = reflection.Value!;
            var details = new CandidateDetails { Suggestions = suggestions };

            var rewrite = await StructuredReply
                .AskAsync(explorer, RefinePrompt.Create(general, current.Record.Question, suggestions, language), site, cancellationToken)
                .ConfigureAwait(false);
            if (!rewrite.Ok)
            {
                discarded.Add((variant with { Reason = $"{DropReasons.RefineFailed}: rewrite: {rewrite.Error}" }, details));
                break;
            }
            var rewritten = rewrite.Value!;
            variant = variant with { Question = rewritten };
            if (NgramVectorizer.Normalize(rewritten) == NgramVectorizer.Normalize(current.Record.Question))
            {
                discarded.Add((variant with { Reason = $"{DropReasons.NoGain}: the rewrite is the same question" }, details));
                break;
            }

            if (safetyCheck is not null)
            {
                var unsafeReason = await safetyCheck(rewritten, sample, cancellationToken).ConfigureAwait(false);
                if (unsafeReason is not null)
                {
                    discarded.Add((variant with { Reason = unsafeReason }, details with { Safety = "unsafe" }));
                    break;
                }
                details = details with { Safety = "safe" };
            }

            var (values, outcome) = await fastScore(variant, cancellationToken).ConfigureAwait(false);
            if (!outcome.Ok)
            {
                discarded.Add((variant with { Reason = $"{DropReasons.FastScoreFailed}: {outcome.Failure}" }, details));
                break;
            }
            var gain = outcome.Total - current.Fast.Total;
            variant = variant with { FastScore = outcome.Total };
            details = details with { Gain = gain, Fast = outcome.Components };
            if (gain > threshold)
            {
                discarded.Add((current.Record with { Status = QuestionStatus.Superseded, Reason = null }, current.Details));
                current = new ScoredCandidate(variant, details, outcome, values);
                continue;
            }
            discarded.Add((variant with { Reason = $"{DropReasons.NoGain}: {F(gain)} is not above τ = {F(threshold)}" }, details));
            break;
        }
        return new RefinementResult(current, discarded);
    }

    private static string RootId(string id)
    {
        var i = id.IndexOf(".r", StringComparison.Ordinal);
        return i < 0 ? id : id[..i];
    }

    private static string F(double x) => x.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
}
