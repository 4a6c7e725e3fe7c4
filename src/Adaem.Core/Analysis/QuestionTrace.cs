using Adaem.Core.Generation;

namespace Adaem.Core.Analysis;

/// <summary>
/// Everything that produced one question and its scores, read back from the store: the row, the explorer's
/// calls (Listings 5 and 6), the dedup decision, the fast and final informativeness scores (Eq. 3) with each
/// model's answer behind them, the refinement chain (Listings 7 and 8), the targets' evaluation answers with
/// the judge's labels, and the TrueSkill matches the question contributes per value (Section 3.3).
/// </summary>
public sealed record QuestionTrace
{
    public required string Run { get; init; }
    public required QuestionRecord Question { get; init; }

    /// <summary>The draw within the step (the number after '-' in the id); null for seeds.</summary>
    public int? Draw { get; init; }

    /// <summary>The sample index of the draw's first asks (see <see cref="Prompts.StructuredReply.Sample"/>); null for seeds.</summary>
    public int? Sample { get; init; }
    public required CandidateDetails Details { get; init; }

    /// <summary>The explore_context and explore_question calls of the draw, re-asks included, in ledger order.</summary>
    public IReadOnlyList<TracedCall> Exploration { get; init; } = [];

    /// <summary>The reflect and refine calls of the draw's refinement chain, in ledger order.</summary>
    public IReadOnlyList<TracedCall> RefinementCalls { get; init; } = [];

    /// <summary>The dedup check of the draw (a refinement inherits its first candidate's check); null for seeds.</summary>
    public TracedDedup? Dedup { get; init; }

    /// <summary>The chain of versions this question belongs to (ancestors, itself, descendants), in depth order.</summary>
    public IReadOnlyList<TracedRefinement> Refinements { get; init; } = [];

    /// <summary>The explorers' answers behind the fast score.</summary>
    public IReadOnlyList<TracedAnswer> FastAnswers { get; init; } = [];

    /// <summary>The scorers' answers behind the final score.</summary>
    public IReadOnlyList<TracedAnswer> FinalAnswers { get; init; } = [];

    /// <summary>The evaluation targets' answers that the run's scores were computed from.</summary>
    public IReadOnlyList<TracedAnswer> Evaluation { get; init; } = [];

    /// <summary>Per value of the theory: the match this question is (or why it is none).</summary>
    public IReadOnlyList<TracedMatch> Matches { get; init; } = [];

    /// <summary>The judge identity whose labels are shown.</summary>
    public string? Judge { get; init; }

    /// <summary>The question's translations (cross-lingual evaluation, or a seed question translated for generation); null when it has
    /// none.</summary>
    public IReadOnlyList<TracedTranslation>? Translations { get; init; }
}

/// <summary>One stored translation of the question: into which language, by which translator and prompt version, the text or the
/// error.</summary>
public sealed record TracedTranslation(
    string Language,
    string Translator,
    string TranslatorIdentity,
    string PromptVersion,
    string? Text,
    string? Error
);

/// <summary>One ledger row: the prompt role (from prompt_schema), the sample index, the messages and the reply.</summary>
public sealed record TracedCall(string Role, int Sample, IReadOnlyList<TracedMessage> Messages, string? Reply, string? Error);

public sealed record TracedMessage(string Role, string Text);

/// <summary>
/// The dedup decision: the question that was checked (this one, or the draw's first candidate for a
/// refinement), the mean similarity to its nearest stored questions, those questions, and the decision:
/// "passed", or the drop reason (duplicate, near_duplicate, in_earlier_benchmark) with its detail.
/// </summary>
public sealed record TracedDedup(string Checked, double? Similarity, IReadOnlyList<TracedNeighbour> Nearest, string Decision);

/// <summary>A question the dedup check found near; Text is null when it is not a question of this run (an earlier benchmark).</summary>
public sealed record TracedNeighbour(string Id, string? Text);

/// <summary>One version in a refinement chain.</summary>
public sealed record TracedRefinement(
    string Id,
    string? Parent,
    int Depth,
    string Status,
    string? Reason,
    string Question,
    string? Suggestions,
    double? Gain,
    double? FastScore,
    double? FinalScore
);

/// <summary>One model's stored answer for one purpose: its stance and opinions, each with the judge's labels.</summary>
public sealed record TracedAnswer(string Model, int Sample, string? Stance, IReadOnlyList<TracedOpinion> Opinions, string? Failure);

public sealed record TracedOpinion(string Point, string Justification, IReadOnlyList<string> Labels);

/// <summary>
/// One value's TrueSkill match on this question: the targets that expressed it (winners) and those that
/// answered without it (losers). When all or none of them express it there is no match (IsMatch false).
/// </summary>
public sealed record TracedMatch(string Value, IReadOnlyList<string> Winners, IReadOnlyList<string> Losers)
{
    public bool IsMatch => Winners.Count > 0 && Losers.Count > 0;
}

/// <summary>A row of the call ledger as the trace reads it.</summary>
public sealed record TraceLedgerRow(string RequestJson, string? ResponseText, string? Error);

/// <summary>The one ledger query the trace needs, so it never loads every call of a run.</summary>
public interface ITraceLedger
{
    /// <summary>The generate-stage calls of <paramref name="model"/> in <paramref name="run"/> whose request has one of the sample indices,
    /// in ledger order.</summary>
    IReadOnlyList<TraceLedgerRow> LoadGenerationCalls(string run, string model, IReadOnlyCollection<int> samples);
}
