using System.Globalization;
using Adaem.Core.Evaluation;
using Spectre.Console;

namespace Adaem.Cli;

/// <summary>
/// Shows the progress of a long stage: a live Spectre bar on an interactive terminal; plain lines (one per
/// tenth of the work) with --quiet or when output is redirected, so logs and CI stay readable.
/// </summary>
internal static class ProgressView
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, bool quiet, string label, Func<IProgress<EvaluationProgress>, Task<T>> work)
    {
        if (quiet || !console.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            return await work(new PlainLines(console, label)).ConfigureAwait(false);

        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), autoStart: true, maxValue: 1);
                result = await work(new Bar(task, label)).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result;
    }

    private static string Describe(string label, EvaluationProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}: {p.Done:N0}/{p.Total:N0} items, {p.Reused:N0} from the store, {p.Failed:N0} failed");

    private sealed class Bar(ProgressTask task, string label) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
            task.Description = Markup.Escape(Describe(label, value));
        }
    }

    private sealed class PlainLines(IAnsiConsole console, string label) : IProgress<EvaluationProgress>
    {
        private readonly Lock _gate = new();
        private int _lastTenth = -1;

        public void Report(EvaluationProgress value)
        {
            var tenth = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
            lock (_gate)
            {
                if (tenth <= _lastTenth) return;
                _lastTenth = tenth;
                console.WriteLine(Describe(label, value));
            }
        }
    }
}
