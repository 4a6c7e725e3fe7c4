using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Core.Runs;
using Adaem.RunFiles;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>The questions to evaluate on, where they came from (for the console), and warnings about them.</summary>
public sealed record QuestionSet(IReadOnlyList<Question> Questions, string Source)
{
    public IReadOnlyList<InputProblem> Warnings { get; init; } = [];

    /// <summary>The frozen release the questions came from, its hash checked; null for a plain question file.</summary>
    public BundleInfo? Bundle { get; init; }
}

/// <summary>What <see cref="Study.EvaluateAsync"/> produced; <see cref="Calls"/> are this stage's model calls (null for pools without
/// counters).</summary>
public sealed record EvaluateResult(
    IReadOnlyList<Question> Questions,
    IReadOnlyList<JudgedResponse> Responses,
    IReadOnlyList<ValueScore> Scores,
    string ResponsesPath,
    string ScoresCsvPath,
    string ScoresJsonPath
)
{
    public int Failed => Responses.Count(r => r.Failed);

    public CallCount? Calls { get; init; }

    /// <summary>A cross-lingual evaluation's per-value shifts between its languages (evaluation.languages); null for a run in one
    /// language.</summary>
    public IReadOnlyList<LanguageShift>? Shifts { get; init; }

    /// <summary>Where <see cref="Shifts"/> were written (shifts.csv); null for a run in one language.</summary>
    public string? ShiftsPath { get; init; }
}

/// <summary>
/// The evaluate stage (the paper's §3.3): check inputs, let every target answer every question and the judge
/// label the opinions (resuming from the store), score relative to the other targets, and write the files.
/// Tests drive it in-process with a scripted model pool.
/// </summary>
internal static class EvaluateStage
{
    public const string StageName = "evaluate";

    /// <summary>Config checks that need no model: a judge, at least two targets (scores are relative).</summary>
    public static void Validate(AdaemConfig config)
    {
        if (config.Judge is null)
            throw new InputException(
                config.Path,
                null,
                "no judge is configured",
                "add 'judge: { model: NAME, mode: batched }' naming one of the models"
            );
        var targets = config.Evaluation.Targets;
        if (targets.Count < 2)
            throw new InputException(
                config.Path,
                config.Evaluation.Line > 0 ? config.Evaluation.Line : null,
                $"evaluation.targets lists {targets.Count} model(s); scores are relative, so at least two are needed",
                "list two or more models under evaluation.targets"
            );
        var duplicate = targets.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InputException(
                config.Path,
                config.Evaluation.Line > 0 ? config.Evaluation.Line : null,
                $"evaluation.targets lists '{duplicate.Key}' twice",
                "list each target once"
            );
    }

    /// <summary>
    /// --questions FILE; else the run's questions.jsonl in the output folder (written by `adaem generate`);
    /// else the run's selection straight from the store (as `adaem export --what questions` makes it), written
    /// to questions.jsonl so the run's folder holds the questions its answers belong to.
    /// </summary>
    public static async Task<QuestionSet> ResolveQuestionsAsync(
        StageContext context,
        string? questionsFile,
        CancellationToken cancellationToken
    )
    {
        if (questionsFile is not null)
        {
            var path = Path.GetFullPath(questionsFile);
            if (Directory.Exists(path))
                return ReadFolder(context, path);
            return QuestionInput.Read(context, path, path);
        }
        var generated = Path.Combine(context.OutDir, QuestionsWriter.FileName);
        if (File.Exists(generated))
            return QuestionInput.Read(context, generated, generated);

        var g = context.Config.Generation;
        var selected = await QuestionSelection
            .SelectAsync(context.Store, context.Run, g.SelectTop, g.SelectThreshold, null, cancellationToken)
            .ConfigureAwait(false);
        if (selected.Count == 0)
        {
            throw new InputException(
                generated,
                null,
                $"run '{context.Run}' has no questions yet (no questions.jsonl here, none generated in {context.Store.Path})",
                "run 'adaem generate' for this run first, or pass a file with --questions FILE (JSONL or CSV with a 'question' field)"
            );
        }
        var written = QuestionsWriter.Write(context.OutDir, selected);
        return QuestionInput.Read(
            context,
            written,
            $"the {selected.Count} questions generated for run '{context.Run}' in the store (written to {written})"
        );
    }

    /// <summary>
    /// --questions DIR: a release folder (manifest.json + questions.jsonl) has its hash checked before
    /// anything else; a folder with questions.jsonl but no manifest is read as a plain question file.
    /// </summary>
    private static QuestionSet ReadFolder(StageContext context, string directory)
    {
        var file = Path.Combine(directory, QuestionsWriter.FileName);
        if (!BenchmarkBundle.IsBundle(directory))
        {
            if (!File.Exists(file))
                throw new InputException(
                    directory,
                    null,
                    "the folder holds neither a release (manifest.json) nor a questions.jsonl",
                    "pass a folder written by 'adaem export --what benchmark', or a question file"
                );
            return QuestionInput.Read(context, file, $"{file} (a folder without manifest.json: plain questions, no release check)");
        }
        var verified = BenchmarkBundle.Open(directory);
        ReleaseTheory.Require(verified, context.Theory);
        var bundle = verified.Info;
        var set = QuestionInput.Read(
            context,
            verified,
            $"release {directory} (run {bundle.Run ?? "?"}, exported {bundle.Created ?? "?"}, SHA-256 {bundle.Sha256[..16]}… matches its manifest)"
        );
        return set with { Bundle = bundle };
    }

    public static IReadOnlyList<string> ModelsCalled(AdaemConfig config) => [.. config.Evaluation.Targets, config.Judge!.Model];

    /// <summary>Before any call: the config's checks, the run recorded, and the run's instruments checked (a change stops the stage unless
    /// accepted).</summary>
    internal static void Begin(StageContext context, IModelPool pool)
    {
        var config = context.Config;
        Validate(config);
        var store = context.Store;
        var record = store.EnsureRun(context.Run, config.Hash);
        if (record.ConfigHash != config.Hash)
            context.Warn(
                $"the config changed since run '{context.Run}' started; stored answers are reused only where the question, the model and the prompt are exactly the same"
            );
        // Before any call: the run keeps one set of instruments unless the user accepts a change.
        foreach (
            var change in InstrumentCheck.Enforce(
                store,
                context.Run,
                StageInstruments.ForEvaluation(config, pool, context.Theory),
                context.AcceptChanges,
                config.Path
            )
        )
            context.Warn($"accepted change: {change}; what it affects is asked again, earlier answers are kept apart");
    }

    public static async Task<EvaluateResult> RunAsync(
        StageContext context,
        IModelPool pool,
        IReadOnlyList<Question> questions,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken,
        BundleInfo? bundle = null
    )
    {
        var config = context.Config;
        var store = context.Store;
        Begin(context, pool);
        foreach (
            var note in Core.Prompts.Languages.TheoryLanguage.Notes(
                context.Theory,
                Core.Prompts.Languages.PromptLanguages.Resolve(config.Evaluation.Language),
                "evaluation"
            )
        )
            context.Warn(note);
        var tracked = new StageRun(context, StageName) { Pool = pool };
        return await tracked
            .TrackAsync(
                async () =>
                {
                    var judge = JudgeSettings.From(config.Judge!);
                    var targets = config.Evaluation.Targets;
                    IReadOnlyList<JudgedResponse> responses;
                    // The items' records are written by one writer off the items' path (docs/architecture.md).
                    using (var records = new EvaluationRecordWriter(store))
                    {
                        var judging = new OpinionJudging(
                            pool,
                            records,
                            context.Theory,
                            judge,
                            OpinionJudgingOptions.From(config.Evaluation)
                        );
                        responses = await judging
                            .EvaluateAsync(context.Run, Purposes.Evaluate, questions, targets, progress, cancellationToken)
                            .ConfigureAwait(false);
                        judge = judging.Judge;
                    }

                    var scores = new RelativeScoring().Score(responses, context.Theory, config.Evaluation, targets, cancellationToken);
                    EvaluationOutcome.RequireScored(context, responses, scores);
                    var poolChange = TargetPoolChange.Between(
                        store.LoadScores(context.Run).Select(s => s.Model),
                        scores.Select(s => s.Model)
                    );
                    if (poolChange.Changed)
                        context.Warn(poolChange.ToString());
                    // One transaction: a stop between the two would leave new scores beside old question texts.
                    store.SaveScoresAndQuestions(context.Run, judge.Identity, scores, responses.Select(r => r.Item).ToList(), questions);

                    Directory.CreateDirectory(context.OutDir);
                    var responsesPath = Path.Combine(context.OutDir, "responses.jsonl");
                    var csvPath = Path.Combine(context.OutDir, "scores.csv");
                    var jsonPath = Path.Combine(context.OutDir, "scores.json");
                    ResponsesFile.WriteJsonl(responsesPath, responses, context.Theory);
                    ScoresFile.WriteCsv(csvPath, scores);
                    // Shifts belong to a cross-lingual evaluation; one left by an earlier one would describe other scores.
                    File.Delete(Path.Combine(context.OutDir, ShiftsFile.FileName));
                    TranslatedQuestionsFile.DeleteExcept(context.OutDir, []);
                    ScoresFile.WriteJson(
                        jsonPath,
                        scores,
                        new ScoresProvenance
                        {
                            Run = context.Run,
                            Theory = context.Theory.Code,
                            Judge = judge.Identity,
                            JudgeMode = judge.Mode,
                            Questions = questions.Count,
                            Orderings = config.Evaluation.Orderings,
                            Bootstrap = config.Evaluation.Bootstrap,
                            Confidence = config.Evaluation.Confidence,
                            Bundle = bundle,
                        }
                    );
                    return new EvaluateResult(questions, responses, scores, responsesPath, csvPath, jsonPath)
                    {
                        Calls = ModelPools.Calls(pool),
                    };
                },
                r =>
                    $"{questions.Count} questions, {config.Evaluation.Targets.Count} targets, {r.Responses.Count - r.Failed} answers judged, {r.Failed} failed"
            )
            .ConfigureAwait(false);
    }
}
