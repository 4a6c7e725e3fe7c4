#:project ../../src/Adaem.Pipeline/Adaem.Pipeline.csproj
#:property PublishAot=false
// The offline study (simulated models, no API key) through the adaem library instead of the CLI:
//   dotnet run examples/library/study.cs -- [CONFIG]      (default: examples/offline.yaml)
// Ctrl-C stops it; every finished model call is stored, so running it again resumes. (Dapper, under the
// store, emits code at run time, so the file-based default of native AOT is switched off above.)
using Adaem.Pipeline;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var progress = new Printer();

using var study = Study.Open(args.Length > 0 ? args[0] : "examples/offline.yaml", new StudyOptions { Run = "library" });
var generated = await study.GenerateAsync(null, progress, cancel.Token);
Console.WriteLine($"{generated.Selected} questions: {generated.QuestionsPath}");
var evaluated = await study.EvaluateAsync(null, progress, cancel.Token);
foreach (var model in evaluated.Scores.GroupBy(s => s.Model))
    Console.WriteLine($"{model.Key, -15} " + string.Join(" ", model.Select(s => $"{s.Value} {s.Score, 4:0}")));
Console.WriteLine($"report: {(await study.ReportAsync(null, cancel.Token)).Html}");

/// <summary>Prints when each phase of a stage starts, and the stage's warnings.</summary>
sealed class Printer : IProgress<StageEvent>
{
    public void Report(StageEvent e)
    {
        if (e is PhaseStarted p)
            Console.WriteLine($"{p.Stage}: {p.Phase}, {p.Total - p.AlreadyDone} of {p.Total} to do");
        else if (e is StageWarning w)
            Console.Error.WriteLine($"warning: {w.Message}");
    }
}
