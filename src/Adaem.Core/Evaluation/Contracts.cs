namespace Adaem.Core.Evaluation;

/// <summary>A question put to models: a benchmark item (evaluation) or a candidate (generation).</summary>
public sealed record Question(string Id, string Text)
{
    public string? Argument { get; init; }
    public string? Seed { get; init; }
    public string? Category { get; init; }
}

/// <summary>One key point of a response: "point: justification".</summary>
public sealed record Opinion(string Point, string Justification)
{
    public string Text => Justification.Length == 0 ? Point : $"{Point}: {Justification}";
}

public static class Stances
{
    public const string Yes = "yes";
    public const string No = "no";
    public const string Neutral = "neutral";
}

/// <summary>What a parser made of one raw response.</summary>
public sealed record ParsedResponse(string Stance, IReadOnlyList<Opinion> Opinions);

/// <summary>
/// One model's judged answer to one question: its opinions and, per opinion, the value codes the judge
/// found. <see cref="Expressed"/> is the question-level union (the paper's OR over opinions).
/// Failed is set (and the lists empty) when the answer could not be parsed or judged.
/// </summary>
public sealed record JudgedResponse(
    string QuestionId,
    string Model,
    int Sample,
    ParsedResponse? Response,
    IReadOnlyList<IReadOnlySet<string>> ValuesPerOpinion
)
{
    public string? Failure { get; init; }

    /// <summary>The fingerprint of what was asked (<see cref="ItemIdentity"/>).</summary>
    public string Item { get; init; } = "";

    /// <summary>The language the question was asked in, for a cross-lingual evaluation; null for a run in one language.
    /// <see cref="QuestionId"/> is then the source question's id, whatever language the question was asked in.</summary>
    public string? Language { get; init; }
    public bool Failed => Failure is not null;
    public IReadOnlySet<string> Expressed => ValuesPerOpinion.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Why a call is made; it separates the target's evaluation answers from the generation loop's.</summary>
public static class Purposes
{
    public const string Evaluate = "evaluate";
    public const string FastScore = "fast_score";
    public const string FinalScore = "final_score";
}

/// <summary>
/// Elicits and judges opinions: the shared step of evaluation (targets answer) and of the
/// informativeness score (scorers answer). Implementations persist raw, parsed and judged data apart.
/// </summary>
public interface IOpinionJudging
{
    /// <summary>Each model answers the question (stance + key points) and the judge labels every opinion.</summary>
    Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(
        string run,
        string purpose,
        Question question,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    );

    /// <summary>The values the judge finds in the question text itself (for disentanglement).</summary>
    Task<IReadOnlySet<string>> JudgeQuestionAsync(string run, string purpose, Question question, CancellationToken cancellationToken);

    /// <summary>The local name of the model that labels the opinions, when there is one.</summary>
    string? JudgeModel => null;
}
