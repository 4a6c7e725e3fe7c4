using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem run`: generate → evaluate → report with one run name and output folder. Each stage is the
/// very command a user would type, so a rerun resumes whichever stage was unfinished and a finished
/// stage asks no model anything.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var accept = CommonOptions.AcceptChanges();
        var cmd = new Command("run", "generate, then evaluate, then report") { config, run, outDir, quiet, accept };
        cmd.SetAction(async (parse, ct) =>
        {
            var configPath = parse.GetValue(config)!;
            var cfg = ConfigLoader.Load(configPath);
            var name = Wiring.RunName(parse.GetValue(run));
            var shared = new List<string> { "-c", configPath, "--run", name };
            if (parse.GetValue(outDir) is { } o) shared.AddRange(["--out", o]);
            var flags = new List<string>();
            if (parse.GetValue(quiet)) flags.Add("--quiet");
            if (parse.GetValue(accept)) flags.Add("--accept-changes");

            var clock = Stopwatch.StartNew();
            var dir = Wiring.OutDirectory(cfg, name, parse.GetValue(outDir));
            var store = Wiring.OpenStore(cfg, dir);
            // Taken once for all three stages: each stage's own take is a re-entry by this process.
            using var lease = RunLeases.Take(store, name, "run");
            var before = store.SummarizeCalls(name);
            foreach (var stage in new[] { "generate", "evaluate", "report" })
            {
                Console.WriteLine($"== {stage}");
                string[] args = [stage, .. shared, .. stage == "report" ? [] : flags];
                var code = await AdaemCli.Build().Parse(args)
                    .InvokeAsync(AdaemCli.Invocation(), ct);
                if (code != ErrorReporter.Ok)
                {
                    Console.Error.WriteLine($"stage '{stage}' did not finish; fix the cause and run the same command again to resume.");
                    return code;
                }
            }

            PrintLedger(before, store.SummarizeCalls(name), name);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run '{name}' done in {clock.Elapsed.TotalSeconds:0.0} s"));
            Console.WriteLine($"report: {Path.Combine(dir, "report.html")}");
            Console.WriteLine($"scores: {Path.Combine(dir, "scores.csv")}");
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// The run's ledger per stage: everything the run has cost so far (a resumed run includes what earlier
    /// attempts paid for), and how many answers this command added to it.
    /// </summary>
    private static void PrintLedger(IReadOnlyList<CallSummary> before, IReadOnlyList<CallSummary> after, string run)
    {
        foreach (var stage in after.GroupBy(s => s.Stage))
        {
            var added = stage.Sum(s => s.Calls) - before.Where(s => s.Stage == stage.Key).Sum(s => s.Calls);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ledger of run '{run}', {stage.Key}: {stage.Sum(s => s.Calls):N0} answers ({added:N0} added by this command), {stage.Sum(s => s.Failures):N0} failed attempts, {stage.Sum(s => s.InputTokens + s.OutputTokens):N0} tokens, cost {RunsCommand.Cost([.. stage])}"));
        }
    }
}
