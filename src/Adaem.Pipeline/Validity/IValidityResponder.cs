using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Pipeline.Validity;

/// <summary>
/// Asks models for the validity analyses that need fresh answers: the targets on a baseline item file,
/// and one target primed on one value. Implementations answer and judge exactly as `adaem evaluate` does
/// (same prompts, judge and store), so the new answers are comparable with the run's own.
/// </summary>
public interface IValidityResponder
{
    /// <summary>Each of <paramref name="models"/> answers every question; the judge labels every opinion.</summary>
    Task<IReadOnlyList<JudgedResponse>> AnswerAsync(
        string run,
        IReadOnlyList<Question> questions,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    );

    /// <summary><paramref name="model"/> answers every question with <paramref name="systemPrompt"/> as its system message
    /// (see PrimingExperiment.SystemPrompt); the judge labels every opinion. Responses carry the model's own name.</summary>
    Task<IReadOnlyList<JudgedResponse>> AnswerPrimedAsync(
        string run,
        string model,
        ValueDimension value,
        string systemPrompt,
        IReadOnlyList<Question> questions,
        CancellationToken cancellationToken
    );
}
