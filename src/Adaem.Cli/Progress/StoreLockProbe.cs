using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Adaem.Cli.Progress;

/// <summary>
/// Asks SQLite, without waiting, whether some connection holds the store's write lock: it tries to take the
/// lock on a connection of its own and lets go at once. The heartbeat uses it when a stage has no call in
/// flight and nothing finishes, which is how a store held by another process looks from inside.
/// </summary>
internal static class StoreLockProbe
{
    /// <summary>True when the write lock is held elsewhere now; false when it is free or the store cannot be probed.</summary>
    public static bool IsLocked(string storePath)
    {
        if (!File.Exists(storePath))
            return false;
        try
        {
            using var c = new SqliteConnection(
                new SqliteConnectionStringBuilder
                {
                    DataSource = storePath,
                    Mode = SqliteOpenMode.ReadWrite,
                    Pooling = false,
                }.ToString()
            );
            c.Open();
            // Straight to SQLite: Microsoft.Data.Sqlite would retry a busy statement for at least a second. With no
            // busy timeout, a held lock answers SQLITE_BUSY at once.
            raw.sqlite3_busy_timeout(c.Handle, 0);
            var rc = raw.sqlite3_exec(c.Handle, "BEGIN IMMEDIATE");
            if ((rc & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                return true;
            if (rc == raw.SQLITE_OK)
                raw.sqlite3_exec(c.Handle, "ROLLBACK");
            return false;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
