using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.RunFiles;
using Adaem.Storage;

namespace Adaem.Pipeline.Validity;

/// <summary>
/// `adaem validate judge`: a random sample of the run's questions, every target's stored answer to them
/// re-labelled by another judge (the other mode of the run's judge model, or another model), compared with
/// the run's own labels. Only the other judge is asked; stored answers are never asked again.
/// </summary>
internal static class JudgeRelabelling
{
    public const string Stage = "validate judge";

    public static async Task<JudgeAgreementResult> RunAsync(
        AdaemConfig config,
        ValueTheory theory,
        string run,
        string directory,
        string? against,
        string? mode,
        int sample,
        long seed,
        StageEvents events,
        CancellationToken ct
    )
    {
        if (config.Judge is null)
            throw new InputException(config.Path, null, "no judge is configured", "add 'judge: { model: NAME, mode: batched }'");
        if (!File.Exists(config.StorePath))
            throw new InputException(
                config.StorePath,
                null,
                "the store does not exist",
                "run 'adaem evaluate' for this run first (or check store: in the config)"
            );
        var otherModel = against ?? config.Judge.Model;
        if (!config.Models.ContainsKey(otherModel))
            throw new InputException(
                "--against",
                null,
                $"no model named '{otherModel}' in {config.Path}",
                $"use one of: {string.Join(", ", config.Models.Keys)}"
            );
        var otherMode = mode ?? (against is null ? Other(config.Judge.Mode) : config.Judge.Mode);
        if (otherMode is not (JudgeConfig.Batched or JudgeConfig.PerValue))
            throw new InputException(
                "--mode",
                null,
                $"unknown judge mode '{otherMode}'",
                $"use {JudgeConfig.Batched} or {JudgeConfig.PerValue}"
            );
        if (otherModel == config.Judge.Model && otherMode == config.Judge.Mode)
            throw new InputException(
                "--against",
                null,
                "that is the run's own judge",
                "compare with the other mode (the default) or another model with --against MODEL"
            );
        if (sample < 2)
            throw new InputException("--sample", null, "at least two questions are needed", "e.g. --sample 50");

        RunFolders.RequireWritableStoreFolder(config);
        var store = AdaemStore.Open(config.StorePath);
        var runJudge =
            store.ScoresJudge(run)
            ?? throw new InputException(
                store.Path,
                null,
                $"run '{run}' has no scores",
                "run 'adaem evaluate' for this run first (or check --run)"
            );
        if (store.ScoreJudges(run).Keys.Any(k => k.Length > 0))
            throw CrossLingualRuns.NotSupported(store.Path, run, "validate judge");
        var byRun = OpinionJudging.LoadScored(store, run, Purposes.Evaluate, runJudge, config.Judge.Mode).Where(r => !r.Failed).ToList();
        var ids = byRun.Select(r => r.QuestionId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (ids.Count < 2)
            throw new InputException(
                store.Path,
                null,
                $"run '{run}' has fewer than two judged questions",
                "run 'adaem evaluate' for this run first"
            );
        var chosen = QuestionFolds.Sample(ids, Math.Min(sample, ids.Count), seed);
        var sampled = byRun.Where(r => chosen.Contains(r.QuestionId)).ToList();

        ConfigLoader.RequireSecrets(config, [otherModel]);
        using var pool = ModelPools.Engine(config, theory, store);
        var judging = new OpinionJudging(
            pool,
            store,
            theory,
            new JudgeSettings(otherModel, otherMode),
            OpinionJudgingOptions.From(config.Evaluation)
        );
        events.Report(new ModelsReady(events.Stage, pool.Counters, store.Path));
        IReadOnlyList<JudgedResponse> byOther;
        try
        {
            byOther = await judging
                .JudgeStoredAsync(
                    run,
                    Purposes.Evaluate,
                    sampled.Select(r => r.Item).ToList(),
                    events.Answers("answers re-judged", sampled.Count),
                    ct
                )
                .ConfigureAwait(false);
        }
        catch (Exception e) when (StageFailure.Explain(e, Stage, config, pool.Scrubber) is { } failure)
        {
            throw failure;
        }
        events.Failures(byOther);

        var targets = config.Evaluation.Targets.Where(t => sampled.Any(r => r.Model == t)).ToList();
        var values = JudgeAgreement.Compare(sampled, byOther, theory, config.Evaluation, targets, ct);
        var result = new JudgeAgreementResult
        {
            RunJudge = $"{config.Judge.Model} ({runJudge})",
            RunMode = config.Judge.Mode,
            OtherJudge = $"{otherModel} ({judging.Judge.Identity})",
            OtherMode = otherMode,
            Questions = chosen.Count,
            Answers = sampled.Count,
            OtherFailures = byOther.Count(r => r.Failed),
            Seed = seed,
            Values = values,
        };
        ValidityFile.Update(directory, run, "judge", v => v with { Judge = result });
        return result;
    }

    private static string Other(string mode) => mode == JudgeConfig.Batched ? JudgeConfig.PerValue : JudgeConfig.Batched;
}
