using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>
/// The one call each stage that writes a run makes before its first model call or file write: take the run's
/// lease (one writer per run), and say so when a dead holder's lease is taken over. Dispose the result, so
/// Ctrl-C and failures release it too. A process that holds the lease may take it again (a study's stages).
/// </summary>
internal static class RunLeases
{
    /// <summary>30 s stale / 5 s heartbeat, or what ADAEM_LEASE_STALE_S says.</summary>
    public static LeaseTiming Timing => LeaseTiming.FromEnvironment(Environment.GetEnvironmentVariable);

    public static RunLease Take(AdaemStore store, string run, string command, IProgress<StageEvent>? progress)
    {
        var timing = Timing;
        var lease = store.AcquireLease(run, command, timing);
        if (lease.TakenOver is { } old)
        {
            var now = DateTimeOffset.UtcNow;
            progress?.Report(
                new LeaseTakenOver(
                    command,
                    $"run '{run}' was held by pid {old.Pid} on {old.Host} ('adaem {old.Command}'), last heartbeat "
                        + $"{StoreTime.Ago(old.SinceHeartbeat(now))}, {old.Abandoned(now, timing) ?? "gone"} (killed?); taking it over"
                )
            );
        }
        return lease;
    }
}
