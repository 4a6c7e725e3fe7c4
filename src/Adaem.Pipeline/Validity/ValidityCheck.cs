using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;

namespace Adaem.Pipeline.Validity;

/// <summary>
/// One validity check of a run (the paper's §4.2 and Appendices C.11, J.2 and K): reliability across folds,
/// consistency on question subsets, distinguishability against a static baseline, value priming, the selection's
/// sensitivity to the score's settings, and the judge's agreement with another judge. Run one with
/// <see cref="Study.ValidateAsync"/>; its result is also recorded in out/RUN/validity.json for the report.
/// </summary>
/// <typeparam name="TResult">What the check returns.</typeparam>
public abstract record ValidityCheck<TResult>
{
    /// <summary>The check's random seed (default: evaluation.seed of the config).</summary>
    public long? Seed { get; init; }

    /// <summary>The name under which the check is reported and leased: "validate reliability", ...</summary>
    public abstract string Stage { get; }

    /// <summary>Whether the check asks models (and so takes the run's lease, opening the store if needed).</summary>
    internal virtual bool AsksModels => false;

    internal abstract Task<TResult> RunAsync(ValidityRun run, CancellationToken cancellationToken);
}

/// <summary>Everything a check needs: the run's files, its seed, and (for checks that ask models) a responder and events.</summary>
internal sealed record ValidityRun(AdaemConfig Config, string Run, string OutDir, ValidityRunner Runner, long Seed, StageEvents Events)
{
    /// <summary>The rating step of `adaem evaluate` (TrueSkill win rates with bootstrap CIs).</summary>
    public static IValueScoring Scoring { get; } = new RelativeScoring();

    /// <summary>A short description of the scoring, recorded in validity.json.</summary>
    public string ScoringName =>
        $"adaem evaluate scoring (TrueSkill win rates, {Config.Evaluation.Orderings} orderings, bootstrap {Config.Evaluation.Bootstrap}, seed {Config.Evaluation.Seed})";

    /// <summary>
    /// Runs <paramref name="work"/> with a responder that answers and judges exactly as `adaem evaluate` does (same
    /// prompts, judge and store), made when first asked for; a model failure becomes a message that names the
    /// model and the fix, and the responder's pool is closed afterwards.
    /// </summary>
    public async Task<T> AskingModelsAsync<T>(Func<Func<IValidityResponder>, Task<T>> work)
    {
        ValidityResponder? made = null;
        RunFolders.RequireWritableStoreFolder(Config);
        try
        {
            return await work(() =>
                    made ??= new ValidityResponder(Config, Runner.Theory, Storage.AdaemStore.Open(Config.StorePath), Events)
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (made is not null && StageFailure.Explain(e, Events.Stage, Config, made.Scrubber) is { } failure)
        {
            throw failure;
        }
        finally
        {
            made?.Dispose();
        }
    }
}

/// <summary>Cronbach's alpha of the (model, value) scores over <paramref name="Folds"/> random folds of the questions.</summary>
public sealed record ReliabilityCheck(int Folds = 5) : ValidityCheck<ReliabilityResult>
{
    public override string Stage => "validate reliability";

    internal override Task<ReliabilityResult> RunAsync(ValidityRun run, CancellationToken cancellationToken) =>
        Task.FromResult(run.Runner.Reliability(ValidityRun.Scoring, run.ScoringName, Folds, run.Seed, cancellationToken));
}

/// <summary>Correlation of the scores on random question subsets of each size with the scores on all questions.</summary>
public sealed record SubsetsCheck(IReadOnlyList<int> Sizes, int Repeats = 5) : ValidityCheck<SubsetResult>
{
    public override string Stage => "validate subsets";

    internal override Task<SubsetResult> RunAsync(ValidityRun run, CancellationToken cancellationToken) =>
        Task.FromResult(run.Runner.Subsets(ValidityRun.Scoring, run.ScoringName, Sizes, Repeats, run.Seed, cancellationToken));
}

/// <summary>Distinguishability of the run's questions against a static item file that the same targets answer.</summary>
public sealed record BaselineCheck(string ItemsPath) : ValidityCheck<BaselineResult>
{
    public override string Stage => "validate baseline";

    internal override bool AsksModels => true;

    internal override async Task<BaselineResult> RunAsync(ValidityRun run, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(ItemsPath);
        // Input problems surface before any model is made (the analysis reads both files again).
        ValidityRunner.ReadBaselineItems(path);
        run.Runner.ReadResponses();
        return await run.AskingModelsAsync(responder =>
                run.Runner.BaselineAsync(ValidityRun.Scoring, run.ScoringName, responder, path, cancellationToken)
            )
            .ConfigureAwait(false);
    }
}

/// <summary>Primes <paramref name="Target"/> on each value: its score on that value must rise and the opposite group's fall.</summary>
/// <param name="Values">Value codes to prime on (null: all of the theory).</param>
/// <param name="Questions">Answer a random subset of this many of the run's questions per primed value (null: all).</param>
public sealed record PrimingCheck(string Target, IReadOnlyList<string>? Values = null, int? Questions = null) : ValidityCheck<PrimingResult>
{
    public override string Stage => "validate priming";

    internal override bool AsksModels => true;

    internal override Task<PrimingResult> RunAsync(ValidityRun run, CancellationToken cancellationToken) =>
        run.AskingModelsAsync(responder =>
            run.Runner.PrimingAsync(ValidityRun.Scoring, run.ScoringName, responder, Target, Values, Questions, run.Seed, cancellationToken)
        );
}

/// <summary>Re-ranks the run's questions under the other disentanglement sign and another beta, from stored components; asks no
/// model.</summary>
/// <param name="Beta">The other beta (null: twice the run's).</param>
/// <param name="Top">Size of the top list compared.</param>
public sealed record ScoreCheck(double? Beta = null, int Top = ScoreSensitivity.DefaultTop) : ValidityCheck<ScoreSensitivityResult>
{
    public override string Stage => "validate score";

    internal override Task<ScoreSensitivityResult> RunAsync(ValidityRun run, CancellationToken cancellationToken) =>
        Task.FromResult(run.Runner.Score(Beta, Top));
}

/// <summary>Re-labels a sample of the run's answers with another judge (the other mode, or <paramref name="Against"/>); Cohen's kappa per
/// value.</summary>
public sealed record JudgeCheck(string? Against = null, string? Mode = null, int Sample = 50) : ValidityCheck<JudgeAgreementResult>
{
    public override string Stage => JudgeRelabelling.Stage;

    internal override bool AsksModels => true;

    internal override Task<JudgeAgreementResult> RunAsync(ValidityRun run, CancellationToken cancellationToken) =>
        JudgeRelabelling.RunAsync(
            run.Config,
            run.Runner.Theory,
            run.Run,
            run.OutDir,
            Against,
            Mode,
            Sample,
            run.Seed,
            run.Events,
            cancellationToken
        );
}
