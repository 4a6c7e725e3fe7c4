using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Support;

/// <summary>Rows a test puts straight into a store, to stage what another process (on another machine, long ago) left there.</summary>
public static class StoreRows
{
    public static void PutLease(
        string store,
        string run,
        long pid,
        string host,
        string command,
        DateTimeOffset heartbeat,
        string token = "other-machine-token"
    ) =>
        Execute(
            store,
            """
            INSERT INTO run_leases(run, pid, host, command, token, started_at, heartbeat_at) VALUES ($run, $pid, $host, $command, $token, $at, $at)
            ON CONFLICT(run) DO UPDATE SET pid = excluded.pid, host = excluded.host, command = excluded.command, token = excluded.token,
                started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
            """,
            ("$run", run),
            ("$pid", pid),
            ("$host", host),
            ("$command", command),
            ("$token", token),
            ("$at", Adaem.Storage.StoreTime.Text(heartbeat))
        );

    public static void PutRun(string store, string run, string stage, string status) =>
        Execute(
            store,
            """
            INSERT INTO runs(name, created_at, updated_at, config_hash, stage, status) VALUES ($run, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'x', $stage, $status)
            ON CONFLICT(name) DO UPDATE SET stage = excluded.stage, status = excluded.status
            """,
            ("$run", run),
            ("$stage", stage),
            ("$status", status)
        );

    public static void PutClaim(string store, string key, string token, DateTimeOffset heartbeat) =>
        Execute(
            store,
            "INSERT OR REPLACE INTO calls_in_flight(key, token, started_at, heartbeat_at) VALUES ($key, $token, $at, $at)",
            ("$key", key),
            ("$token", token),
            ("$at", Adaem.Storage.StoreTime.Text(heartbeat))
        );

    private static void Execute(string store, string sql, params (string Name, object Value)[] parameters)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
            cmd.Parameters.AddWithValue(name, value);
        cmd.ExecuteNonQuery();
    }
}
