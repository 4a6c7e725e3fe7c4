using System.Globalization;

namespace Adaem.Cli.Progress;

/// <summary>
/// Progress as plain lines, for --quiet, pipes, files and CI: a line when a phase starts, at each tenth of
/// it (once it has worked on an item rather than read it back from the store), at its end, and between
/// those at least every <see cref="Heartbeat"/> while events arrive, so a slow phase still shows it is
/// alive. The cadence is measured on the events' own times; nothing prints between events.
/// </summary>
internal sealed class PlainStageProgress(string stage, TextWriter output, TextWriter errors, TimeProvider time)
    : StageProgress(stage, time)
{
    /// <summary>Longest quiet stretch between two lines while events keep arriving.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    public override void Warning(string message)
    {
        lock (Gate) errors.WriteLine($"warning: {message}");
    }

    protected override void OnPhaseStarted(StageReading reading, PlainState plain, long now)
    {
        var p = reading.Phase!;
        plain.LastDecile = p.Total == 0 ? 0 : (int)(10L * p.AlreadyDone / p.Total);
        plain.LastLine = now;
        if (!plain.Deciles) return;
        output.WriteLine(p.AlreadyDone > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{reading.Stage}: {p.Name}: {p.Total - p.AlreadyDone:N0} of {p.Total:N0} to do ({p.AlreadyDone:N0} already done)")
            : string.Create(CultureInfo.InvariantCulture, $"{reading.Stage}: {p.Name}: {p.Total:N0} to do"));
    }

    protected override void OnChanged(StageReading reading, PlainState plain, long now)
    {
        var p = reading.Phase!;
        if (plain.EndPrinted) return;
        var decile = p.Total == 0 ? 10 : (int)(10L * p.Done / p.Total);
        // Items read back from the store are no news: tenths print once this run has worked on something.
        var working = p.Done - p.AlreadyDone - p.Reused > 0;
        var due = p.Finished
            || (plain.Deciles && working && decile > plain.LastDecile)
            || Since(plain.LastLine, now) >= Heartbeat;
        if (!due) return;
        plain.LastDecile = decile;
        plain.LastLine = now;
        plain.EndPrinted = p.Finished;
        output.WriteLine(Line(reading));
    }
}
