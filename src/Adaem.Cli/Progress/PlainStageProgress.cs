using System.Globalization;

namespace Adaem.Cli.Progress;

/// <summary>
/// Progress as plain lines, for --quiet, pipes, files and CI: a line when a phase starts, at each tenth of
/// it (once it has worked on an item rather than read it back from the store), at its end, when a model
/// is asked to wait, and between those at least every <see cref="StageProgress.Heartbeat"/>: with events,
/// the usual line; without (a slow server, a long Retry-After, a locked store), a heartbeat line that says
/// what the stage is waiting on.
/// </summary>
internal sealed class PlainStageProgress(string stage, TextWriter output, TextWriter errors, TimeProvider time) : StageProgress(stage, time)
{
    /// <summary>When the last line of any kind was printed (null: none yet, and the stage's start counts).</summary>
    private long? _lastLine;

    public override void Warning(string message)
    {
        lock (Gate)
            errors.WriteLine($"warning: {message}");
    }

    protected override void OnPhaseStarted(StageReading reading, PlainState plain, long now)
    {
        var p = reading.Phase!;
        plain.LastDecile = p.Total == 0 ? 0 : (int)(10L * p.AlreadyDone / p.Total);
        plain.LastLine = now;
        if (!plain.Deciles)
            return;
        Write(
            p.AlreadyDone > 0
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"{reading.Stage}: {p.Name}: {p.Total - p.AlreadyDone:N0} of {p.Total:N0} to do ({p.AlreadyDone:N0} already done)"
                )
                : string.Create(CultureInfo.InvariantCulture, $"{reading.Stage}: {p.Name}: {p.Total:N0} to do"),
            now
        );
    }

    protected override void OnChanged(StageReading reading, PlainState plain, long now)
    {
        var p = reading.Phase!;
        if (plain.EndPrinted)
            return;
        var decile = p.Total == 0 ? 10 : (int)(10L * p.Done / p.Total);
        // Items read back from the store are no news: tenths print once this run has worked on something.
        var working = p.Done - p.AlreadyDone - p.Reused > 0;
        var due = p.Finished || (plain.Deciles && working && decile > plain.LastDecile) || Since(plain.LastLine, now) >= Heartbeat;
        if (!due)
            return;
        plain.LastDecile = decile;
        plain.LastLine = now;
        plain.EndPrinted = p.Finished;
        Write(Line(reading), now);
    }

    protected override void OnWait(string text, long now) => Write(text, now);

    protected override TimeSpan OnTick(StageReading reading, string activity, bool stalled, long now)
    {
        var quiet = Since(_lastLine ?? StartedAt, now);
        if (quiet < Heartbeat)
            return Heartbeat - quiet;
        Write($"{Line(reading)}; {activity}", now);
        return Heartbeat;
    }

    private void Write(string line, long now)
    {
        output.WriteLine(line);
        _lastLine = now;
    }
}
