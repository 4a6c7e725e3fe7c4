using System.CommandLine;
using System.Globalization;
using Adaem.Cli.Progress;
using Adaem.Core.Generation;

namespace Adaem.Cli.Commands;

/// <summary>`adaem generate`: the AdAEM loop, then the selected questions to out/RUN/questions.jsonl.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var accept = CommonOptions.AcceptChanges();
        var budget = new Option<int?>("--budget")
        {
            Description = "Bandit steps B (overrides generation.budget); a larger budget extends a finished run",
        };
        var cmd = new Command("generate", "AdAEM question generation: bandit over seed topics, explore, dedup, score, refine") { config, run, budget, outDir, quiet, accept };
        cmd.SetAction(async (parse, ct) =>
        {
            var request = new GenerateRequest(parse.GetValue(config)!, parse.GetValue(run), parse.GetValue(budget), parse.GetValue(outDir), parse.GetValue(accept));
            using var lease = RunLeases.Take(request.ConfigPath, request.Run, GenerationSettings.Stage);
            Core.Configuration.AdaemConfig? loaded = null;
            Providers.ModelPool? made = null;
            GenerateResult result;
            try
            {
                result = await StageProgressDisplay.RunAsync(GenerationSettings.Stage, parse.GetValue(quiet), progress =>
                {
                    // The stage builds its pool once the config is loaded; the display reads that pool's counters.
                    var stage = new GenerateStage((cfg, theory, store) =>
                    {
                        loaded = cfg;
                        var pool = made = PoolFactory.Create(cfg, theory, store);
                        progress.UseCalls(pool.Counters);
                        progress.WatchStore(store.Path);
                        return pool;
                    }, (cfg, theory, pool, store, judge, opinions) =>
                        new TallyingJudging(GenerationWiring.CreateJudging(cfg, theory, pool, store, judge, opinions), progress.Failures));
                    return stage.RunAsync(request, new GenerationProgressView(progress), ct);
                });
            }
            catch (Exception e) when (loaded is not null && made is not null && StageFailure.Explain(e, GenerationSettings.Stage, loaded, made.Scrubber) is { } failure)
            {
                throw failure;
            }
            var s = result.Summary;
            var reasons = s.DropReasons.Count == 0
                ? ""
                : $" ({string.Join(", ", s.DropReasons.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value}")))})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generate: {s.StepsDone}/{s.Budget} steps over {s.Arms} arms; {s.Kept} questions kept, {s.Dropped} dropped{reasons}"));
            if (result.Calls is { } calls) Console.WriteLine(CallLine.Format("generate", calls));
            Console.WriteLine($"wrote {result.Selected} questions to {result.QuestionsPath}");
            return ErrorReporter.Ok;
        });
        return cmd;
    }
}
