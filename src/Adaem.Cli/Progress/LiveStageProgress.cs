using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Adaem.Cli.Progress;

/// <summary>
/// Progress as live Spectre bars on an interactive terminal: one bar per phase, and beside it the calls
/// made, cache hits, calls/s, tokens, cost so far and ETA. The figures are taken when an event arrives
/// and each second by the heartbeat, which adds what the stage waits on when nothing moves; a model asked
/// to wait gets a line above the bars. Spectre redraws on its own refresh.
/// </summary>
internal sealed class LiveStageProgress(string stage, ProgressContext context, LiveStageProgress.FiguresColumn figures, TimeProvider time)
    : StageProgress(stage, time)
{
    private ProgressTask? _task;

    /// <summary>The columns of a stage's bars; <paramref name="figures"/> shows the live figures of each bar.</summary>
    public static ProgressColumn[] Columns(FiguresColumn figures) =>
        [
            new TaskDescriptionColumn { Alignment = Justify.Left },
            new ProgressBarColumn { Width = 24 },
            new PercentageColumn(),
            figures,
            new SpinnerColumn(),
        ];

    public override void Warning(string message)
    {
        lock (Gate)
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
    }

    protected override void OnWait(string text, long now) => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");

    protected override TimeSpan OnTick(StageReading reading, string activity, bool stalled, long now)
    {
        if (_task is not null && reading.Phase is not null)
            Show(reading, stalled ? activity : null);
        return TimeSpan.FromSeconds(1);
    }

    protected override void OnPhaseStarted(StageReading reading, PlainState plain, long now)
    {
        var p = reading.Phase!;
        _task?.StopTask();
        _task = context.AddTask(Markup.Escape($"{reading.Stage}: {p.Name}"), autoStart: true, maxValue: Math.Max(1, p.Total));
        _task.Value = p.Total == 0 ? 1 : p.AlreadyDone;
        Show(reading);
        if (p.Finished)
            _task.StopTask();
    }

    protected override void OnChanged(StageReading reading, PlainState plain, long now)
    {
        if (_task is null)
            return;
        var p = reading.Phase!;
        _task.Value = p.Done;
        Show(reading);
        if (p.Finished)
            _task.StopTask();
    }

    private void Show(StageReading reading, string? activity = null)
    {
        var p = reading.Phase!;
        var c = reading.Calls;
        var eta = p.Finished ? "" : $" · ETA {(p.Eta is { } e ? Clock(e) : "-")}";
        figures.Set(
            _task!.Id,
            string.Create(
                CultureInfo.InvariantCulture,
                $"{p.Done:N0}/{p.Total:N0} · {c.Calls:N0} calls · {c.CacheHits:N0} hits · {reading.CallsPerSecond:0.0}/s · {c.Tokens:N0} tok · {CostText.WithUnit(c)}{eta}{(activity is null ? "" : " · " + activity)}"
            )
        );
    }

    /// <summary>Renders the figures last set for each bar.</summary>
    internal sealed class FiguresColumn : ProgressColumn
    {
        private readonly ConcurrentDictionary<int, string> _text = new();

        public void Set(int task, string text) => _text[task] = text;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(_text.TryGetValue(task.Id, out var t) ? t : "", new Style(Color.Grey));
    }
}
