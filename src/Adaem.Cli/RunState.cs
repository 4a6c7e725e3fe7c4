using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>A run's status as `adaem runs` and `adaem doctor` show it: the stored status read together with its lease.</summary>
/// <param name="Status">The status to show: the stored one, or 'stale' / 'interrupted' for a run marked running that no live process
/// holds.</param>
/// <param name="Note">One sentence on who holds the run, when anyone does or did.</param>
internal sealed record RunState(string Status, string? Note)
{
    public static RunState Of(RunRecord run, LeaseHolder? lease, LeaseTiming timing, DateTimeOffset now)
    {
        var running = run.Status == "running";
        if (lease is null)
        {
            return running
                ? new RunState(
                    "interrupted",
                    $"run '{run.Name}' is marked running, but no process holds it: it stopped without saying so. Run the same command again to resume."
                )
                : new RunState(run.Status, null);
        }
        if (lease.Abandoned(now, timing) is { } why)
        {
            return new RunState(
                running ? "stale" : run.Status,
                $"run '{run.Name}' was held by {lease.Describe(now)}: {why}, so that process is presumed dead (killed?). The next command on this run takes it over."
            );
        }
        return new RunState(run.Status, $"run '{run.Name}' is in use by {lease.Describe(now)}.");
    }
}
