using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Storage;

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

/// <summary>The one place where the validity analyses get the rating step and the answering pipeline of `adaem evaluate`.</summary>
internal static class ValidationWiring
{
    /// <summary>The rating step of `adaem evaluate` (TrueSkill win rates with bootstrap CIs).</summary>
    public static IValueScoring CreateScoring() => new RelativeScoring();

    /// <summary>A short description of the scoring, recorded in validity.json.</summary>
    public static string DescribeScoring(AdaemConfig config) =>
        $"adaem evaluate scoring (TrueSkill win rates, {config.Evaluation.Orderings} orderings, bootstrap {config.Evaluation.Bootstrap}, seed {config.Evaluation.Seed})";

    /// <summary>Answers with the theory the analysis already loaded (<see cref="Validation.ValidationRunner.Theory"/>).</summary>
    public static IValidationResponder CreateResponder(AdaemConfig config, ValueTheory theory, Progress.StageProgress? progress = null) =>
        new Validation.ValidationResponder(config, theory, AdaemStore.Open(config.StorePath), progress);
}
