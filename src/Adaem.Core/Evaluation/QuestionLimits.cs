using Adaem.Core.Configuration;

namespace Adaem.Core.Evaluation;

/// <summary>
/// How long a question may be. Every question is sent whole to every target (and its answers to the
/// judge), so one runaway record of megabytes costs millions of tokens: above <see cref="WarnChars"/>
/// the command warns, above <see cref="MaxChars"/> it refuses before any call. The paper's questions are
/// one or two sentences (well under 500 characters).
/// </summary>
public sealed record QuestionLimits(int WarnChars, int MaxChars)
{
    public static QuestionLimits Default { get; } =
        new(EvaluationConfig.DefaultQuestionWarnChars, EvaluationConfig.DefaultQuestionMaxChars);

    /// <summary>The limits of the config (evaluation.question_warn_chars, evaluation.question_max_chars).</summary>
    public static QuestionLimits From(EvaluationConfig evaluation) => new(evaluation.QuestionWarnChars, evaluation.QuestionMaxChars);
}
