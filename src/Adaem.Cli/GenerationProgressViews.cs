using System.Globalization;
using Adaem.Core.Generation;
using Spectre.Console;

namespace Adaem.Cli;

/// <summary>Plain progress lines for --quiet, pipes and CI: one line per bandit step, seeds every tenth.</summary>
internal sealed class PlainGenerationProgress(TextWriter output) : IGenerationProgress
{
    private int _seedsTotal;
    private int _seedsDone;

    public void SeedsStarted(int total, int alreadyScored)
    {
        _seedsTotal = total;
        _seedsDone = alreadyScored;
        output.WriteLine(alreadyScored == total
            ? $"seeds: {total} arms, all scored"
            : $"seeds: scoring {total - alreadyScored} of {total} seed questions with the scorers");
    }

    public void SeedScored(string arm, double? score)
    {
        _seedsDone++;
        if (_seedsDone % 10 == 0 || _seedsDone == _seedsTotal) output.WriteLine($"seeds: {_seedsDone}/{_seedsTotal} scored");
    }

    public void StepsStarted(int budget, int alreadyDone) =>
        output.WriteLine(alreadyDone >= budget ? $"steps: {alreadyDone} of {budget} already done" : $"steps: {budget - alreadyDone} to go ({alreadyDone} of {budget} done)");

    public void StepFinished(StepSummary s) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step {s.Step}/{s.Budget}: arm {s.Arm}, kept {s.Kept}/{s.Candidates}, reward {(s.Reward is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "none")}, best {(s.BestScore is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "-")}"));

    public void Warning(string message) => Console.Error.WriteLine($"warning: {message}");
}

/// <summary>Live progress bars (interactive terminals): seeds scored and bandit steps, with the best score so far.</summary>
internal sealed class LiveGenerationProgress(ProgressContext context) : IGenerationProgress
{
    private ProgressTask? _seeds;
    private ProgressTask? _steps;
    private int _kept;

    public void SeedsStarted(int total, int alreadyScored)
    {
        _seeds = context.AddTask("scoring seed questions", maxValue: Math.Max(total, 1));
        _seeds.Value = alreadyScored;
    }

    public void SeedScored(string arm, double? score) => _seeds?.Increment(1);

    public void StepsStarted(int budget, int alreadyDone)
    {
        _seeds?.StopTask();
        _steps = context.AddTask("bandit steps", maxValue: Math.Max(budget, 1));
        _steps.Value = Math.Min(alreadyDone, budget);
    }

    public void StepFinished(StepSummary s)
    {
        if (_steps is null) return;
        _kept += s.Kept;
        _steps.Increment(1);
        _steps.Description = string.Create(CultureInfo.InvariantCulture,
            $"bandit steps (arm {Markup.Escape(s.Arm)}, +{_kept} kept, best {(s.BestScore is { } b ? b.ToString("0.00", CultureInfo.InvariantCulture) : "-")})");
    }

    public void Warning(string message) => AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
}
