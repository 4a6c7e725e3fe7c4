namespace Adaem.Core.Evaluation;

/// <summary>A model's reply exactly as returned (the last attempt when the reply had to be re-asked).</summary>
public sealed record RawResponseRecord
{
    public string Run { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string QuestionId { get; init; } = "";
    public string Model { get; init; } = "";
    public int Sample { get; init; }

    /// <summary>The fingerprint of exactly what was asked (see <see cref="ItemIdentity"/>); a record is served only to the same
    /// fingerprint.</summary>
    public string Item { get; init; } = "";
    public string? CallKey { get; init; }
    public string? RawText { get; init; }
    public string? Error { get; init; }
}

/// <summary>What one parser version read from a raw reply. OpinionsJson = [{"point":..,"justification":..}, ...].</summary>
public sealed record ParsedResponseRecord
{
    public string Run { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string QuestionId { get; init; } = "";
    public string Model { get; init; } = "";
    public int Sample { get; init; }

    /// <summary>The fingerprint of exactly what was asked (see <see cref="ItemIdentity"/>); a record is served only to the same
    /// fingerprint.</summary>
    public string Item { get; init; } = "";
    public string ParserVersion { get; init; } = "";
    public string? Stance { get; init; }
    public string? OpinionsJson { get; init; }
    public bool ParseOk { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// What one judge said of one parsed response. Judge is the judge's identity (model, prompt version and
/// the parser version of the opinions it saw), so a new judge or parser never reuses an old verdict.
/// LabelsJson = [["value_code", ...], ...], one list per opinion.
/// </summary>
public sealed record JudgmentRecord
{
    public string Run { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string QuestionId { get; init; } = "";
    public string Model { get; init; } = "";
    public int Sample { get; init; }

    /// <summary>The fingerprint of exactly what was asked (see <see cref="ItemIdentity"/>); a record is served only to the same
    /// fingerprint.</summary>
    public string Item { get; init; } = "";
    public string Judge { get; init; } = "";
    public string Mode { get; init; } = "";
    public string? LabelsJson { get; init; }
    public bool Ok { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// The evaluation's records in the store: raw replies, parsed replies and judgments kept apart, so a
/// change of parser or judge re-scores from what is stored, and scores. Every save replaces the record
/// with the same key. A null questionId loads the whole run and purpose. Saves may be queued and written
/// later (the store's EvaluationRecordWriter); <see cref="FlushAsync"/> waits for them.
/// </summary>
public interface IEvaluationRecords
{
    IReadOnlyList<RawResponseRecord> LoadRawResponses(string run, string purpose, string? questionId = null);

    IReadOnlyList<ParsedResponseRecord> LoadParsedResponses(string run, string purpose, string parserVersion, string? questionId = null);

    IReadOnlyList<JudgmentRecord> LoadJudgments(string run, string purpose, string judge, string mode, string? questionId = null);

    void SaveRawResponse(RawResponseRecord record);

    void SaveParsedResponse(ParsedResponseRecord record);

    void SaveJudgment(JudgmentRecord record);

    /// <summary>
    /// Completes when every save made before it is in the store; throws when a queued save could not be written.
    /// Saves that write at once have nothing to wait for.
    /// </summary>
    Task FlushAsync() => Task.CompletedTask;

    /// <summary>Replaces the run's scores and the answers (fingerprints) they were computed from.</summary>
    void SaveScores(string run, string judge, IReadOnlyList<ValueScore> scores, IReadOnlyCollection<string> items);

    /// <summary>The fingerprints of the answers the run's current scores were computed from.</summary>
    IReadOnlySet<string> LoadScoredItems(string run);

    IReadOnlyList<ValueScore> LoadScores(string run);
}
