using Adaem.Core.Configuration;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>
/// The one call each command that writes a run makes before its first model call or file write: take the
/// run's lease (one writer per run), and say so when a dead holder's lease is taken over. Dispose the
/// result with using, so Ctrl-C and failures release it too.
/// </summary>
internal static class RunLeases
{
    /// <summary>30 s stale / 5 s heartbeat, or what ADAEM_LEASE_STALE_S says.</summary>
    public static LeaseTiming Timing => LeaseTiming.FromEnvironment(Environment.GetEnvironmentVariable);

    public static RunLease Take(AdaemStore store, string run, string command)
    {
        var timing = Timing;
        var lease = store.AcquireLease(run, command, timing);
        if (lease.TakenOver is { } old)
        {
            var now = DateTimeOffset.UtcNow;
            Console.Error.WriteLine($"run '{run}' was held by pid {old.Pid} on {old.Host} ('adaem {old.Command}'), last heartbeat " +
                $"{StoreTime.Ago(old.SinceHeartbeat(now))}, {old.Abandoned(now, timing) ?? "gone"} (killed?); taking it over");
        }
        return lease;
    }

    public static RunLease Take(StageContext context, string command) => Take(context.Store, context.Run, command);

    /// <summary>For commands that load their config themselves later (generate): the run name is checked before the store is opened.</summary>
    public static RunLease Take(string configPath, string? run, string command)
    {
        var config = ConfigLoader.Load(configPath);
        var name = Wiring.RunName(run);
        return Take(AdaemStore.Open(config.StorePath), name, command);
    }

    /// <summary>For commands that know their config and run (validate baseline|priming).</summary>
    public static RunLease Take(AdaemConfig config, string run, string command) => Take(AdaemStore.Open(config.StorePath), run, command);

    /// <summary>For commands that only read the store (report, validate reliability|subsets): no store is created just to lease it.</summary>
    public static RunLease? TakeIfStoreExists(AdaemConfig config, string run, string command) =>
        File.Exists(config.StorePath) ? Take(AdaemStore.Open(config.StorePath), run, command) : null;
}
