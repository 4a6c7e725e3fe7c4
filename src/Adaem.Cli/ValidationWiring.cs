using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Cli;

/// <summary>
/// Asks models for the validity analyses that need fresh answers: the targets on a baseline item file,
/// and one target primed on one value. Implementations answer and judge exactly as `adaem evaluate` does
/// (same prompts, judge and store), so the new answers are comparable with the run's own.
/// </summary>
public interface IValidationResponder
{
    /// <summary>Each of <paramref name="models"/> answers every question; the judge labels every opinion.</summary>
    Task<IReadOnlyList<JudgedResponse>> AnswerAsync(string run, IReadOnlyList<Question> questions, IReadOnlyList<string> models, CancellationToken cancellationToken);

    /// <summary><paramref name="model"/> answers every question with <paramref name="systemPrompt"/> as its system message
    /// (see PrimingExperiment.SystemPrompt); the judge labels every opinion. Responses carry the model's own name.</summary>
    Task<IReadOnlyList<JudgedResponse>> AnswerPrimedAsync(string run, string model, ValueDimension value, string systemPrompt,
        IReadOnlyList<Question> questions, CancellationToken cancellationToken);
}

/// <summary>
/// The one place where the validity analyses get the real rating step and the real answering pipeline.
/// Both arrive with the evaluation work; until they are connected these factories say so.
/// </summary>
internal static class ValidationWiring
{
    /// <summary>The rating step of `adaem evaluate` (TrueSkill win rates with bootstrap CIs).</summary>
    public static IValueScoring CreateScoring(AdaemConfig config) =>
        throw new NotImplementedException("the value scoring of 'adaem evaluate' is not connected to 'adaem validate' in this build yet");

    /// <summary>A short description of the scoring, recorded in validity.json.</summary>
    public static string DescribeScoring(AdaemConfig config) =>
        $"adaem evaluate scoring (bootstrap {config.Evaluation.Bootstrap}, seed {config.Evaluation.Seed})";

    public static IValidationResponder CreateResponder(AdaemConfig config) =>
        throw new NotImplementedException("asking models for 'adaem validate baseline|priming' is not connected in this build yet");
}
