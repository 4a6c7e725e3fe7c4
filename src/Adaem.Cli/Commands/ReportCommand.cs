using System.CommandLine;
using System.Reflection;
using Adaem.Core.Configuration;
using Adaem.Core.Theory;
using Adaem.Reports.Files;
using Adaem.Reports.Html;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>`adaem report`: the HTML report of a run, built from the files in its output directory plus provenance from the store.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run(required: true);
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var permutations = new Option<int>("--permutations")
        {
            Description = "Sign flips per model pair in the distance significance test",
            DefaultValueFactory = _ => 999,
        };
        var cmd = new Command("report", "Write the HTML report (report.html, radar.png, radar.svg) of a run") { config, run, outDir, quiet, permutations };
        cmd.SetAction((parse, ct) =>
        {
            var cfg = ConfigLoader.Load(parse.GetValue(config)!);
            var name = Wiring.RunName(parse.GetValue(run));
            using var lease = RunLeases.TakeIfStoreExists(cfg, name, "report");
            var dir = Wiring.OutDirectory(cfg, name, parse.GetValue(outDir));
            Wiring.RequireWritableOutput(dir);
            var perms = parse.GetValue(permutations);
            if (perms < 99)
                throw new Core.Errors.InputException("--permutations", null, $"{perms} permutations are too few for a p-value", "use at least 99 (default 999)");
            var input = BuildInput(cfg, name, dir) with { Permutations = perms, Seed = cfg.Evaluation.Seed };
            var output = ReportWriter.Write(input, dir, cfg.Evaluation.Confidence, ct);
            Console.WriteLine($"wrote {output.Html}");
            Console.WriteLine($"wrote {output.RadarPng} and {Path.GetFileName(output.RadarSvg)}");
            return Task.FromResult(ErrorReporter.Ok);
        });
        return cmd;
    }

    /// <summary>Reads the run's files (scores required; questions, responses and validity when present) and its provenance.</summary>
    internal static ReportInput BuildInput(AdaemConfig cfg, string run, string dir)
    {
        var theory = TheoryLoader.Load(cfg.Theory, cfg.Directory);
        var scores = RunFiles.ReadScores(dir);
        var questionsPath = Path.Combine(dir, RunFiles.Questions);
        var responsesPath = Path.Combine(dir, RunFiles.Responses);
        return new ReportInput(run, theory, scores, ProvenanceOf(cfg, run) with { Bundle = RunFiles.ReadBundle(dir) })
        {
            Questions = File.Exists(questionsPath) ? RunFiles.ReadQuestions(questionsPath) : null,
            Responses = File.Exists(responsesPath) ? RunFiles.ReadResponses(responsesPath) : null,
            Validity = ValidityFile.Read(dir),
        };
    }

    private static Provenance ProvenanceOf(AdaemConfig cfg, string run)
    {
        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Role(string model, string role)
        {
            if (!roles.TryGetValue(model, out var list)) roles[model] = list = [];
            if (!list.Contains(role)) list.Add(role);
        }
        foreach (var t in cfg.Evaluation.Targets) Role(t, "target");
        foreach (var e in cfg.Generation.Explorers) Role(e, "explorer");
        foreach (var s in cfg.Generation.Scorers) Role(s, "scorer");
        if (cfg.Judge is { } j) Role(j.Model, "judge");
        if (cfg.Generation.Judge is { } gj) Role(gj, "generation judge");
        var models = cfg.Models.Values.OrderBy(m => m.Line)
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
            AdaemVersion = typeof(ReportCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        };
        // Never create a store just to report on it: a missing store means unknown provenance, said so.
        if (!File.Exists(cfg.StorePath)) return provenance;
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
            DropReasons = store.LoadQuestions(run).Where(q => q.Status == Core.Generation.QuestionStatus.Dropped)
                .GroupBy(q => Core.Generation.DropReasons.Code(q.Reason), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Calls = store.SummarizeCalls(run)
                .Select(c => new CallRow(c.Stage, c.Model, c.Calls, c.Failures, c.InputTokens, c.OutputTokens, c.Cost, c.UnpricedCalls)).ToList(),
            Failures = store.SummarizeFailures(run)
                .Select(f => new FailureRow(f.Model, f.Purpose, f.ParseFailures, f.JudgeFailures)).ToList(),
            Instruments = store.LoadInstruments(run)
                .Select(i => new InstrumentRow(i.Role, i.Name, i.Identity, i.Since, i.SupersededAt)).ToList(),
        };
    }
}
