using Spectre.Console;

namespace Adaem.Cli.Progress;

/// <summary>Runs a stage under its progress display and closes it with the stage's summary line.</summary>
internal static class StageProgressDisplay
{
    /// <summary>Plain lines with --quiet, when output is redirected, or on a terminal that cannot redraw.</summary>
    public static bool Plain(bool quiet) =>
        quiet || Console.IsOutputRedirected || Console.IsErrorRedirected || !Output.Console().Profile.Capabilities.Interactive;

    /// <summary>
    /// Runs <paramref name="work"/> with live bars or plain lines, then prints one summary line (items, calls
    /// made, cache hits, failed calls, tokens, cost) whether the stage finished or stopped.
    /// </summary>
    public static async Task<T> RunAsync<T>(string stage, bool quiet, Func<StageProgress, Task<T>> work)
    {
        StageProgress? progress = null;
        var finished = false;
        try
        {
            T result;
            if (Plain(quiet))
            {
                progress = new PlainStageProgress(stage, Console.Out, Console.Error, TimeProvider.System);
                progress.StartHeartbeat();
                result = await work(progress).ConfigureAwait(false);
            }
            else
            {
                var figures = new LiveStageProgress.FiguresColumn();
                result = default!;
                await Output
                    .Console()
                    .Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(LiveStageProgress.Columns(figures))
                    .StartAsync(async ctx =>
                    {
                        progress = new LiveStageProgress(stage, ctx, figures, TimeProvider.System);
                        progress.StartHeartbeat();
                        result = await work(progress).ConfigureAwait(false);
                    })
                    .ConfigureAwait(false);
            }
            finished = true;
            return result;
        }
        finally
        {
            // The heartbeat stops first, so no line follows the summary.
            progress?.Dispose();
            if (progress is { Started: true })
                Console.Out.WriteLine(progress.Summary(finished));
        }
    }
}
