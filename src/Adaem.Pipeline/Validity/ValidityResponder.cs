using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Pipeline.Validity;

/// <summary>
/// Asks models for the validity analyses with exactly the prompts, judge and store of `adaem evaluate`.
/// Baseline answers and primed answers are stored under purposes of their own, so they never mix with
/// the run's evaluation answers, and rerunning an analysis asks no finished call again.
/// </summary>
internal sealed class ValidityResponder : IValidityResponder, IDisposable
{
    public const string BaselinePurpose = "validate_baseline";

    private readonly AdaemConfig config;
    private readonly ValueTheory theory;
    private readonly AdaemStore store;
    private readonly StageEvents? _events;
    private readonly Providers.ModelPool _pool;

    /// <param name="events">Where each batch of answers reports its progress (null: nowhere), starting with this responder's call
    /// counters.</param>
    public ValidityResponder(AdaemConfig config, ValueTheory theory, AdaemStore store, StageEvents? events = null)
    {
        this.config = config;
        this.theory = theory;
        this.store = store;
        _events = events;
        _pool = ModelPools.Engine(config, theory, store);
        events?.Report(new ModelsReady(events.Stage, _pool.Counters, store.Path));
    }

    public static string PrimingPurpose(string valueCode) => $"validate_priming_{valueCode}";

    public Task<IReadOnlyList<JudgedResponse>> AnswerAsync(
        string run,
        IReadOnlyList<Question> questions,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    )
    {
        ConfigLoader.RequireSecrets(config, [.. models, config.Judge!.Model]);
        var progress = _events?.Answers("baseline answers judged", Items(questions, models.Count));
        return Tallied(Judging(null).EvaluateAsync(run, BaselinePurpose, questions, models, progress, cancellationToken));
    }

    public Task<IReadOnlyList<JudgedResponse>> AnswerPrimedAsync(
        string run,
        string model,
        ValueDimension value,
        string systemPrompt,
        IReadOnlyList<Question> questions,
        CancellationToken cancellationToken
    )
    {
        ConfigLoader.RequireSecrets(config, [model, config.Judge!.Model]);
        // One short phase per primed value: plain output prints its end (and heartbeats), not every tenth.
        var progress = _events?.Answers($"answers primed on {value.Code}", Items(questions, 1), deciles: false, group: "primed answers");
        return Tallied(
            Judging(systemPrompt).EvaluateAsync(run, PrimingPurpose(value.Code), questions, [model], progress, cancellationToken)
        );
    }

    /// <summary>The answers, with their failures counted for the stage's summary line.</summary>
    private async Task<IReadOnlyList<JudgedResponse>> Tallied(Task<IReadOnlyList<JudgedResponse>> answering)
    {
        var responses = await answering.ConfigureAwait(false);
        _events?.Failures(responses);
        return responses;
    }

    private int Items(IReadOnlyList<Question> questions, int models) => questions.Count * models * config.Evaluation.Samples;

    private OpinionJudging Judging(string? systemPrompt) =>
        new(
            _pool,
            store,
            theory,
            JudgeSettings.From(config.Judge!),
            OpinionJudgingOptions.From(config.Evaluation) with
            {
                SystemPrompt = systemPrompt,
                Stage = "validate",
            }
        );

    /// <summary>The pool's scrubber, for messages about its models' failures.</summary>
    public Providers.Engine.SecretScrubber Scrubber => _pool.Scrubber;

    public void Dispose() => _pool.Dispose();
}
