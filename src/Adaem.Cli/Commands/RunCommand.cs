using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem run`: generate → evaluate → report with one run name and output folder, through one <see cref="Study"/>
/// and the same rendering as the single commands. A rerun resumes whichever stage was unfinished; a finished
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
        cmd.SetAction(
            async (parse, ct) =>
            {
                var clock = Stopwatch.StartNew();
                using var study = StudyCommand.Open(
                    parse.GetValue(config)!,
                    parse.GetValue(run),
                    parse.GetValue(outDir),
                    parse.GetValue(accept)
                );
                var quietly = parse.GetValue(quiet);
                // Taken once for all three stages: each stage's own take is a re-entry by this process.
                study.Hold("run", StudyCommand.Notices);
                var store = study.Store;
                var before = store.SummarizeCalls(study.Run);
                var stage = "generate";
                try
                {
                    Console.WriteLine("== generate");
                    StudyCommand.Print(
                        await StudyCommand
                            .ShowAsync(stage, quietly, progress => study.GenerateAsync(null, progress, ct))
                            .ConfigureAwait(false)
                    );

                    Console.WriteLine("== evaluate");
                    stage = "evaluate";
                    await EvaluateCommand.EvaluateAsync(study, null, quietly, ct).ConfigureAwait(false);

                    Console.WriteLine("== report");
                    stage = "report";
                    ReportCommand.Print(await study.ReportAsync(null, ct).ConfigureAwait(false));
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"stage '{stage}' did not finish; fix the cause and run the same command again to resume.");
                    throw;
                }

                var dir = study.OutDirectory;
                PrintLedger(before, store.SummarizeCalls(study.Run), study.Run);
                Console.WriteLine(
                    string.Create(CultureInfo.InvariantCulture, $"run '{study.Run}' done in {clock.Elapsed.TotalSeconds:0.0} s")
                );
                Console.WriteLine($"report: {Path.Combine(dir, "report.html")}");
                Console.WriteLine($"scores: {Path.Combine(dir, "scores.csv")}");
                return ErrorReporter.Ok;
            }
        );
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
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"ledger of run '{run}', {stage.Key}: {stage.Sum(s => s.Calls):N0} answers ({added:N0} added by this command), {stage.Sum(s => s.Failures):N0} failed attempts, {stage.Sum(s => s.InputTokens + s.OutputTokens):N0} tokens, cost {RunsCommand.Cost([.. stage])}"
                )
            );
        }
    }
}
