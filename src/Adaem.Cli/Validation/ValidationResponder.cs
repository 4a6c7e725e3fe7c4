using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Cli.Validation;

/// <summary>
/// Asks models for the validity analyses with exactly the prompts, judge and store of `adaem evaluate`.
/// Baseline answers and primed answers are stored under purposes of their own, so they never mix with
/// the run's evaluation answers, and rerunning an analysis asks no finished call again.
/// </summary>
internal sealed class ValidationResponder(AdaemConfig config, ValueTheory theory, AdaemStore store) : IValidationResponder, IDisposable
{
    public const string BaselinePurpose = "validate_baseline";

    private readonly Providers.ModelPool _pool = PoolFactory.Create(config, theory, store);

    public static string PrimingPurpose(string valueCode) => $"validate_priming_{valueCode}";

    public Task<IReadOnlyList<JudgedResponse>> AnswerAsync(string run, IReadOnlyList<Question> questions, IReadOnlyList<string> models, CancellationToken cancellationToken)
    {
        ConfigLoader.RequireSecrets(config, [.. models, config.Judge!.Model]);
        return Judging(null).EvaluateAsync(run, BaselinePurpose, questions, models, null, cancellationToken);
    }

    public Task<IReadOnlyList<JudgedResponse>> AnswerPrimedAsync(string run, string model, ValueDimension value, string systemPrompt,
        IReadOnlyList<Question> questions, CancellationToken cancellationToken)
    {
        ConfigLoader.RequireSecrets(config, [model, config.Judge!.Model]);
        return Judging(systemPrompt).EvaluateAsync(run, PrimingPurpose(value.Code), questions, [model], null, cancellationToken);
    }

    private OpinionJudging Judging(string? systemPrompt) =>
        new(_pool, store, theory, JudgeSettings.From(config.Judge!),
            OpinionJudgingOptions.From(config.Evaluation) with { SystemPrompt = systemPrompt, Stage = "validate" });

    public void Dispose() => _pool.Dispose();
}
