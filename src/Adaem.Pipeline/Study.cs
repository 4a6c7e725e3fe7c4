using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Theory;
using Adaem.Pipeline.Validity;
using Adaem.Providers.Engine;
using Adaem.Reports.Html;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>
/// One study: a config, its value theory, a run and the run's output folder. Its stages are the paper's pipeline:
/// <see cref="GenerateAsync"/> (Algorithm 1: questions that make the models disagree), <see cref="EvaluateAsync"/>
/// (§3.3: each target's value profile relative to the others), <see cref="ReportAsync"/> and <see cref="ValidateAsync{TResult}"/>.
/// Each takes a progress sink of <see cref="StageEvent"/>s and a cancellation token and returns what it did. Every
/// finished model call is in the store, so a stage stopped by Ctrl-C or a crash resumes when called again.
/// </summary>
/// <example>
/// <code>
/// using var study = Study.Open("adaem.yaml");
/// await study.GenerateAsync();
/// var result = await study.EvaluateAsync();
/// await study.ReportAsync();
/// </code>
/// </example>
public sealed class Study : IDisposable
{
    private readonly StudyOptions _options;
    private readonly List<RunLease> _leases = [];
    private AdaemStore? _store;

    private Study(AdaemConfig config, ValueTheory theory, string run, string outDirectory, StudyOptions options)
    {
        Config = config;
        Theory = theory;
        Run = run;
        OutDirectory = outDirectory;
        _options = options;
        Scrubber = SecretScrubber.For(config, Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// Loads and checks the config and its theory, the run's name and its output folder. Nothing is created yet:
    /// a stage opens the store when it first needs it. Bad input throws <see cref="Core.Errors.InputException"/>
    /// naming the file, line and fix.
    /// </summary>
    public static Study Open(string configPath, StudyOptions? options = null)
    {
        options ??= new StudyOptions();
        var config = ConfigLoader.Load(configPath);
        var run = RunFolders.RunName(options.Run);
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var outDirectory = RunFolders.OutDirectory(config, run, options.OutDirectory);
        return new Study(config, theory, run, outDirectory, options);
    }

    public AdaemConfig Config { get; }

    public ValueTheory Theory { get; }

    public string Run { get; }

    public string OutDirectory { get; }

    /// <summary>Removes the keys of the config's models (and fragments of them) from any text: use it on messages you print.</summary>
    public SecretScrubber Scrubber { get; }

    /// <summary>The store, opened (and its folder and the output folder checked writable) on first use.</summary>
    internal AdaemStore Store => _store ??= RunFolders.OpenStore(Config, OutDirectory);

    /// <summary>Whether the store file exists yet (commands that only read never create one).</summary>
    internal bool StoreExists => _store is not null || File.Exists(Config.StorePath);

    /// <summary>
    /// Takes the run's lease now, for the study's lifetime, under <paramref name="command"/>'s name: one writer per
    /// run. Each stage takes it by itself; hold it first to keep it across several stages (as `adaem run` does).
    /// </summary>
    public void Hold(string command, IProgress<StageEvent>? progress = null) => _leases.Add(RunLeases.Take(Store, Run, command, progress));

    /// <summary>
    /// Generates questions (the paper's Algorithm 1 with the bandit of Algorithm 2, resuming from the store), selects the
    /// best and writes out/RUN/questions.jsonl.
    /// </summary>
    public async Task<GenerateResult> GenerateAsync(
        GenerateOptions? options = null,
        IProgress<StageEvent>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        var budget = options?.Budget;
        var events = new StageEvents(Core.Generation.GenerationSettings.Stage, progress);
        using var lease = RunLeases.Take(Store, Run, events.Stage, progress);
        GenerateStage.Validate(Config, Run, budget);
        var context = Context(events);
        return await GenerateStage
            .RunAsync(
                context,
                budget,
                _options.Models ?? ModelPools.Engine,
                _options.GenerationJudging ?? ModelPools.Judging,
                events,
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The questions to evaluate on: <paramref name="file"/> (a question file, or a release folder whose hash is checked);
    /// else the run's questions.jsonl; else the run's selection from the store, written to questions.jsonl.
    /// </summary>
    public async Task<QuestionSet> LoadQuestionsAsync(
        string? file = null,
        IProgress<StageEvent>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        var events = new StageEvents(EvaluateStage.StageName, progress);
        using var lease = RunLeases.Take(Store, Run, events.Stage, progress);
        EvaluateStage.Validate(Config);
        return await EvaluateStage.ResolveQuestionsAsync(Context(events), file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every target answers every question and the judge labels the opinions (resuming from the store); the targets
    /// get relative 0–100 scores per value with bootstrap intervals, written to responses.jsonl, scores.csv and scores.json.
    /// </summary>
    /// <param name="questions">From <see cref="LoadQuestionsAsync"/> (default: the run's own questions).</param>
    public async Task<EvaluateResult> EvaluateAsync(
        QuestionSet? questions = null,
        IProgress<StageEvent>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        var events = new StageEvents(EvaluateStage.StageName, progress);
        using var lease = RunLeases.Take(Store, Run, events.Stage, progress);
        EvaluateStage.Validate(Config);
        var context = Context(events);
        questions ??= await EvaluateStage.ResolveQuestionsAsync(context, null, cancellationToken).ConfigureAwait(false);
        ConfigLoader.RequireSecrets(Config, EvaluateStage.ModelsCalled(Config));
        var pool = (_options.Models ?? ModelPools.Engine)(Config, Theory, Store);
        using var ownedPool = pool as IDisposable;
        events.ModelsReady(pool, Store.Path);
        try
        {
            // evaluation.languages: a phase per language (translation, then answers), started by the cross-lingual stage itself.
            var result =
                Config.Evaluation.Languages.Count > 0
                    ? await CrossLingualEvaluation
                        .RunAsync(context, pool, questions.Questions, events, cancellationToken, questions.Bundle)
                        .ConfigureAwait(false)
                    : await EvaluateStage
                        .RunAsync(
                            context,
                            pool,
                            questions.Questions,
                            events.Answers(
                                "answers judged",
                                questions.Questions.Count * Config.Evaluation.Targets.Count * Config.Evaluation.Samples
                            ),
                            cancellationToken,
                            questions.Bundle
                        )
                        .ConfigureAwait(false);
            events.Failures(result.Responses);
            return result;
        }
        catch (NothingScoredException e)
        {
            foreach (var f in e.Failures)
                events.Report(new AnswersFailed(events.Stage, f.Model, f.Unreadable, f.NotJudged));
            throw;
        }
    }

    /// <summary>Writes report.html, radar.png and radar.svg from the run's files and the provenance in the store; asks no model.</summary>
    public async Task<ReportOutput> ReportAsync(ReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Right after EvaluateAsync the caller may still run on the stack of the evaluation's last model call, which references
        // every answer (and the finished evaluation's task its result): the report works from a fresh stack, so they can go.
        await Task.Yield();
        using var lease = StoreExists ? RunLeases.Take(Store, Run, "report", null) : null;
        return ReportStage.Write(Config, Run, OutDirectory, (options ?? new ReportOptions()).Permutations, cancellationToken);
    }

    /// <summary>Runs one validity check of the run and records its result in out/RUN/validity.json.</summary>
    public async Task<TResult> ValidateAsync<TResult>(
        ValidityCheck<TResult> check,
        IProgress<StageEvent>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(check);
        RunFolders.RequireWritableOutput(OutDirectory);
        var events = new StageEvents(check.Stage, progress);
        using var lease = check.AsksModels || StoreExists ? RunLeases.Take(Store, Run, check.Stage, progress) : null;
        var run = new ValidityRun(
            Config,
            Run,
            OutDirectory,
            new ValidityRunner(Config, Run, OutDirectory, Theory),
            check.Seed ?? Config.Evaluation.Seed,
            events
        );
        return await check.RunAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a run's stored questions, responses, scores, a frozen release or one question's trace; calls no model.</summary>
    /// <returns>The file written.</returns>
    public string Export(ExportRequest request, IProgress<StageEvent>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = new StageEvents("export", progress);
        // Into the run's own folder (out/RUN/), which a running stage may be writing: one writer at a time.
        using var lease = request.OwnFolder ? null : RunLeases.Take(Store, Run, events.Stage, progress);
        var context = Context(events);
        return request.What switch
        {
            "questions" => RunExport.ExportQuestions(context, request.Format ?? "jsonl"),
            "benchmark" => BenchmarkExport.Write(context, request.OwnFolder, events),
            "responses" => RunExport.ExportResponses(context, request.Format ?? "jsonl"),
            "trace" => RunExport.ExportTrace(context, request.QuestionId, request.Format ?? "json"),
            "scores" => RunExport.ExportScores(context, request.Format ?? "csv"),
            _ => throw new Core.Errors.InputException(
                "--what",
                null,
                $"unknown export '{request.What}'",
                $"use one of: {string.Join(", ", ExportRequest.Kinds)}"
            ),
        };
    }

    /// <summary>Releases the leases this study holds.</summary>
    public void Dispose()
    {
        foreach (var lease in _leases)
            lease.Dispose();
        _leases.Clear();
    }

    private StageContext Context(StageEvents events) =>
        new(Config, Theory, Store, Run, OutDirectory) { AcceptChanges = _options.AcceptChanges, Warn = events.Warning };
}
