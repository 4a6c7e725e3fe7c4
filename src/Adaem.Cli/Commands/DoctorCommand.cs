using System.CommandLine;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem doctor`: SQLite's integrity check of the config's store, its size and schema version, every run
/// with its stage, status and lease (who holds it, live or stale), and the calls in flight. Exit 0 when the
/// store is sound, 1 when the integrity check fails, 2 when the file is not a store. It changes nothing.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var cmd = new Command("doctor", "Check the store: integrity, runs, who holds them, calls in flight") { config };
        cmd.SetAction(parse =>
        {
            var configPath = parse.GetValue(config)!;
            var cfg = ConfigLoader.Load(configPath);
            var report = StoreCheck.Run(cfg.StorePath);
            var now = DateTimeOffset.UtcNow;
            var timing = RunLeases.Timing;

            Console.WriteLine($"store: {report.Path}");
            Console.WriteLine(F($"size: {report.Size:N0} bytes (+ {report.WalSize:N0} bytes of write-ahead log)"));
            if (report.SchemaVersion > 0)
            {
                Console.WriteLine(
                    F($"schema version: {report.SchemaVersion}")
                        + (
                            report.SchemaVersion == StoreCheck.LatestVersion ? " (current)"
                            : report.SchemaVersion < StoreCheck.LatestVersion
                                ? F($" (this adaem migrates it to {StoreCheck.LatestVersion} when a command next opens it)")
                            : F($" (newer than this adaem, which knows up to {StoreCheck.LatestVersion}: upgrade adaem)")
                        )
                );
            }
            Console.WriteLine(report.Integrity is ["ok"] ? "integrity check: ok" : "integrity check: FAILED");
            var problems = report.Integrity.Where(l => l != "ok").ToList();
            foreach (var line in problems.Take(20))
                Console.WriteLine($"  {line}");
            if (problems.Count > 20)
                Console.WriteLine(F($"  ... and {problems.Count - 20} more (SQLite lists at most 100)"));

            var leases = report.Leases.ToDictionary(l => l.Run, StringComparer.Ordinal);
            if (report.ReadError is null)
                Console.WriteLine(F($"runs: {report.Runs.Count}"));
            foreach (var run in report.Runs)
            {
                var state = RunState.Of(run, leases.GetValueOrDefault(run.Name), timing, now);
                var lease = leases.TryGetValue(run.Name, out var l)
                    ? $"lease: pid {l.Pid} on {l.Host} ('adaem {l.Command}', since {l.StartedAt}, last heartbeat {StoreTime.Ago(l.SinceHeartbeat(now))}, {(l.Abandoned(now, timing) is { } why ? $"stale: {why}" : "live")})"
                    : "lease: none";
                Console.WriteLine($"  {run.Name}: {run.Stage} {state.Status}, updated {run.UpdatedAt}; {lease}");
                if (state.Note is not null && state.Status != run.Status)
                    Console.WriteLine($"    {state.Note}");
            }
            foreach (var orphan in report.Leases.Where(l => report.Runs.All(r => r.Name != l.Run)))
                Console.WriteLine(
                    $"  lease of run '{orphan.Run}' (not yet created): pid {orphan.Pid} on {orphan.Host} ('adaem {orphan.Command}', last heartbeat {StoreTime.Ago(orphan.SinceHeartbeat(now))})"
                );

            var stale = report.CallsInFlight.Count(c => timing.IsStale(c.HeartbeatAt, now));
            if (report.ReadError is null)
                Console.WriteLine(
                    F($"calls in flight: {report.CallsInFlight.Count}")
                        + (stale > 0 ? F($" ({stale} stale: their process stopped; the next process that needs one makes the call)") : "")
                );
            foreach (var holder in report.CallsInFlight.GroupBy(c => c.Token))
            {
                var owner = report.Leases.FirstOrDefault(l => l.Token == holder.Key);
                var who = owner is null
                    ? "a process that holds no run"
                    : $"pid {owner.Pid} on {owner.Host} ('adaem {owner.Command}', run '{owner.Run}')";
                Console.WriteLine(F($"  {holder.Count()} by {who}, oldest since {holder.Min(c => c.StartedAt)}"));
            }

            if (report.ReadError is not null)
                Console.WriteLine($"the store's tables cannot be read: {report.ReadError}");
            if (!report.IntegrityOk)
            {
                Console.Error.WriteLine($"failed: the store {report.Path} is damaged.");
                Console.Error.WriteLine(
                    $"  Fix: restore a copy of the store, or point 'store:' in {cfg.Path} to a new path and rerun; "
                        + "the sqlite3 shell's '.recover' command may save what is readable into a new file."
                );
                return ErrorReporter.Failed;
            }
            if (cfg.Models.Values.Any(m => m.Provider == ProviderKinds.Local))
                Console.WriteLine(Providers.Local.Fetch.LocalEncoderRuntime.Describe(Providers.Local.Fetch.EncoderFetchOptions.Default));
            Console.WriteLine("the store is healthy");
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
