namespace Adaem.Cli.Progress;

/// <summary>
/// The one printer of a study's notices on stderr: a run lease taken over from a dead process, and the warnings
/// that come before a stage's progress display starts. Commands hand it to the study outside a stage
/// (<see cref="StudyCommand.Notices"/>); <see cref="StageEventView"/> hands it the takeover met inside one.
/// </summary>
internal sealed class NoticePrinter : IProgress<StageEvent>
{
    public static NoticePrinter Instance { get; } = new();

    private NoticePrinter() { }

    public void Report(StageEvent value)
    {
        switch (value)
        {
            case LeaseTakenOver l:
                Console.Error.WriteLine(l.Message);
                break;
            case StageWarning w:
                Console.Error.WriteLine($"warning: {w.Message}");
                break;
        }
    }
}
