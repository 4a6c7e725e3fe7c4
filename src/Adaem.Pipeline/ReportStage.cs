using System.Reflection;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Theory;
using Adaem.Reports.Html;
using Adaem.RunFiles;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>
/// The report stage: the HTML report of a run (profiles, distances with their significance, the questions,
/// provenance), built from the files in its output folder and the provenance the store holds. Asks no model.
/// </summary>
internal static class ReportStage
{
    /// <summary>Least sign flips per model pair for a p-value worth printing.</summary>
    public const int MinPermutations = 99;

    /// <summary>Writes report.html, radar.png and radar.svg into <paramref name="outDir"/>.</summary>
    public static ReportOutput Write(AdaemConfig cfg, string run, string outDir, int permutations, CancellationToken cancellationToken)
    {
        if (permutations < MinPermutations)
            throw new InputException(
                "--permutations",
                null,
                $"{permutations} permutations are too few for a p-value",
                $"use at least {MinPermutations} (default 999)"
            );
        RunFolders.RequireWritableOutput(outDir);
        var input = BuildInput(cfg, run, outDir) with { Permutations = permutations, Seed = cfg.Evaluation.Seed };
        return ReportWriter.Write(input, outDir, cfg.Evaluation.Confidence, cancellationToken);
    }

    /// <summary>Reads the run's files (scores required; questions, responses and validity when present) and its provenance.</summary>
    internal static ReportInput BuildInput(AdaemConfig cfg, string run, string dir)
    {
        var theory = TheoryLoader.Load(cfg.Theory, cfg.Directory);
        var scores = RunOutputs.ReadScores(dir);
        var questionsPath = Path.Combine(dir, RunOutputs.Questions);
        var responsesPath = Path.Combine(dir, RunOutputs.Responses);
        return new ReportInput(run, theory, scores, ProvenanceOf(cfg, run) with { Bundle = RunOutputs.ReadBundle(dir) })
        {
            Questions = File.Exists(questionsPath) ? RunOutputs.ReadQuestions(questionsPath) : null,
            ResponsesPath = File.Exists(responsesPath) ? responsesPath : null,
            Validity = ValidityFile.Read(dir),
            // shifts.csv belongs to a cross-lingual evaluation's scores; one beside the scores of a run in one language is ignored.
            Shifts = scores.Any(s => s.Language is not null) ? ShiftsFile.Read(dir) : null,
        };
    }

    private static Provenance ProvenanceOf(AdaemConfig cfg, string run)
    {
        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Role(string model, string role)
        {
            if (!roles.TryGetValue(model, out var list))
                roles[model] = list = [];
            if (!list.Contains(role))
                list.Add(role);
        }
        foreach (var t in cfg.Evaluation.Targets)
            Role(t, "target");
        foreach (var e in cfg.Generation.Explorers)
            Role(e, "explorer");
        foreach (var s in cfg.Generation.Scorers)
            Role(s, "scorer");
        if (cfg.Judge is { } j)
            Role(j.Model, "judge");
        if (cfg.Generation.Judge is { } gj)
            Role(gj, "generation judge");
        var models = cfg
            .Models.Values.OrderBy(m => m.Line)
            .Select(m => new ModelInfo(m.Name, m.Provider, m.Model, roles.TryGetValue(m.Name, out var r) ? r : []))
            .ToList();

        var provenance = new Provenance
        {
            ConfigPath = cfg.Path,
            ConfigHash = cfg.Hash,
            Models = models,
            Judge = cfg.Judge?.Model,
            JudgeMode = cfg.Judge?.Mode,
            GenerationSeed = cfg.Generation.Seed,
            EvaluationSeed = cfg.Evaluation.Seed,
            AdaemVersion = typeof(ReportStage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        };
        // Never create a store just to report on it: a missing store means unknown provenance, said so.
        if (!File.Exists(cfg.StorePath))
            return provenance;
        var store = AdaemStore.Open(cfg.StorePath);
        var record = store.GetRun(run);
        return provenance with
        {
            StorePath = store.Path,
            RunConfigHash = record?.ConfigHash,
            RunCreatedAt = record?.CreatedAt,
            RunUpdatedAt = record?.UpdatedAt,
            RunStage = record?.Stage,
            RunStatus = record?.Status,
            SeedTopics = store.CountSeeds(run),
            DropReasons = store
                .LoadQuestions(run)
                .Where(q => q.Status == Core.Generation.QuestionStatus.Dropped)
                .GroupBy(q => Core.Generation.DropReasons.Code(q.Reason), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Calls = store
                .SummarizeCalls(run)
                .Select(c => new CallRow(c.Stage, c.Model, c.Calls, c.Failures, c.InputTokens, c.OutputTokens, c.Cost, c.UnpricedCalls))
                .ToList(),
            Failures = store
                .SummarizeFailures(run)
                .Select(f => new FailureRow(f.Model, f.Purpose, f.ParseFailures, f.JudgeFailures))
                .ToList(),
            Instruments = store
                .LoadInstruments(run)
                .Select(i => new InstrumentRow(i.Role, i.Name, i.Identity, i.Since, i.SupersededAt))
                .ToList(),
        };
    }
}
