using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Support;

/// <summary>A run's lease row as the test reads it.</summary>
public sealed record LeaseRow(long Pid, string Host, string Command, string HeartbeatAt)
{
    public DateTimeOffset Heartbeat => DateTimeOffset.Parse(HeartbeatAt, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads a store that another process may be writing: read-only, unpooled connections (WAL lets a reader in
/// at any time); a store or table that does not exist yet reads as empty.
/// </summary>
public static class StoreProbe
{
    public static LeaseRow? Lease(string store, string run) =>
        Query(
                store,
                "SELECT pid, host, command, heartbeat_at FROM run_leases WHERE run = $p",
                run,
                r => new LeaseRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3))
            )
            .FirstOrDefault();

    public static long Answered(string store, string? run = null) =>
        Query(store, "SELECT COUNT(*) FROM model_calls WHERE error IS NULL AND ($p IS NULL OR run = $p)", run, r => r.GetInt64(0))
            .FirstOrDefault();

    public static IReadOnlyList<string> ClaimTokens(string store) =>
        Query(store, "SELECT token FROM calls_in_flight WHERE $p IS NULL", null, r => r.GetString(0));

    public static string? RunStatus(string store, string run) =>
        Query(store, "SELECT stage || ':' || status FROM runs WHERE name = $p", run, r => r.GetString(0)).FirstOrDefault();

    private static List<T> Query<T>(string store, string sql, string? parameter, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        if (!File.Exists(store))
            return rows;
        try
        {
            using var c = new SqliteConnection(
                new SqliteConnectionStringBuilder
                {
                    DataSource = store,
                    Mode = SqliteOpenMode.ReadOnly,
                    Pooling = false,
                }.ToString()
            );
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$p", (object?)parameter ?? DBNull.Value);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                rows.Add(read(r));
        }
        catch (SqliteException)
        {
            // Not created or migrated yet, or busy for a moment: nothing to read this time.
        }
        return rows;
    }
}
