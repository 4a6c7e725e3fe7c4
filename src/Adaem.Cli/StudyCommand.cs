using System.Globalization;
using Adaem.Cli.Progress;

namespace Adaem.Cli;

/// <summary>What every stage command shares: open the study, run a stage under the progress display, print its call line.</summary>
internal static class StudyCommand
{
    /// <summary>Opens the study; its scrubber becomes the one every printed error passes through.</summary>
    public static Study Open(string config, string? run, string? outDir, bool acceptChanges = false)
    {
        var study = Study.Open(
            config,
            new StudyOptions
            {
                Run = run,
                OutDirectory = outDir,
                AcceptChanges = acceptChanges,
            }
        );
        ErrorReporter.Scrubber = study.Scrubber;
        return study;
    }

    /// <summary>Events outside a stage's progress display (before it starts): a lease taken over, warnings; printed to stderr.</summary>
    public static IProgress<StageEvent> Notices => NoticePrinter.Instance;

    /// <summary>Runs a stage of the study with live bars or plain lines (--quiet) and its summary line.</summary>
    public static Task<T> ShowAsync<T>(string stage, bool quiet, Func<IProgress<StageEvent>, Task<T>> work) =>
        StageProgressDisplay.RunAsync(stage, quiet, progress => work(new StageEventView(progress)));

    /// <summary>"generate: 40/40 steps over 30 arms; 95 questions kept, 25 dropped (near_duplicate 25)" and what it wrote.</summary>
    public static void Print(GenerateResult result)
    {
        var s = result.Summary;
        var reasons =
            s.DropReasons.Count == 0
                ? ""
                : $" ({string.Join(", ", s.DropReasons.OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value}")))})";
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"generate: {s.StepsDone}/{s.Budget} steps over {s.Arms} arms; {s.Kept} questions kept, {s.Dropped} dropped{reasons}"
            )
        );
        if (result.Calls is { } calls)
            Console.WriteLine(CallLine.Format("generate", calls));
        Console.WriteLine($"wrote {result.Selected} questions to {result.QuestionsPath}");
    }
}
