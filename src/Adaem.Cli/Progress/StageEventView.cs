namespace Adaem.Cli.Progress;

/// <summary>Renders a study's <see cref="StageEvent"/>s on a stage's progress display (live bars or plain lines).</summary>
internal sealed class StageEventView(StageProgress progress) : IProgress<StageEvent>
{
    public void Report(StageEvent value)
    {
        switch (value)
        {
            case ModelsReady m:
                progress.UseCalls(m.Calls);
                progress.WatchStore(m.StorePath);
                break;
            case PhaseStarted p:
                progress.StartPhase(p.Phase, p.Total, p.AlreadyDone, p.Deciles, p.Group);
                break;
            case PhaseProgressed p:
                progress.Report(p.Done, p.Reused, p.Failed, p.Detail);
                break;
            case PhaseAdvanced a:
                progress.Advance(a.Detail);
                break;
            case StageWarning w:
                progress.Warning(w.Message);
                break;
            case AnswersFailed f:
                progress.Failures.Add(f.Model, f.Unreadable, f.NotJudged);
                break;
            case LeaseTakenOver:
                NoticePrinter.Instance.Report(value);
                break;
        }
    }
}
