using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Storage;

/// <summary>
/// The single SQLite file a project keeps everything in. Each operation uses its own pooled
/// connection, so the store is safe to share across tasks; WAL and a busy timeout let several
/// processes write the same file.
/// </summary>
public sealed partial class AdaemStore
{
    private readonly string _connectionString;

    private AdaemStore(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
    }

    public string Path { get; }

    /// <summary>
    /// Held by this process's writers for the length of a transaction (the ledger writer's batches and the
    /// evaluation records'), so they queue here for each other instead of meeting on SQLite's write lock,
    /// whose busy handler polls with sleeps. Other processes still meet on SQLite's lock.
    /// </summary>
    internal Lock WriteGate { get; } = new();

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/> and migrates it forward. A store that
    /// cannot be opened (a directory, a read-only folder, a file that is not a store) throws a
    /// <see cref="StoreException"/> that names the path and the fix.
    /// </summary>
    public static AdaemStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StoreErrors.Folder(full, e);
        }
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
        var store = new AdaemStore(full, cs);
        try
        {
            store.Migrate();
        }
        catch (SqliteException e) when (StoreErrors.Explain(e, full) is { } explained)
        {
            throw explained;
        }
        return store;
    }

    /// <summary>Schema version of the file.</summary>
    public int SchemaVersion
    {
        get
        {
            using var c = Connect();
            return c.ExecuteScalar<int>("PRAGMA user_version");
        }
    }

    internal SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        // A pooled connection keeps its settings, so they are set once per connection SQLite opened, not per use.
        // busy_timeout makes a writer wait for another process's write lock instead of failing at once.
        if (c.Handle is { } handle && !Configured.TryGetValue(handle, out _))
        {
            c.Execute("PRAGMA busy_timeout = 60000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            Configured.AddOrUpdate(handle, Mark);
        }
        return c;
    }

    /// <summary>The SQLite connections whose settings <see cref="Connect"/> has made (held weakly: a closed one drops out).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private static readonly object Mark = new();

    private void Migrate()
    {
        using var c = Connect();
        c.Execute("PRAGMA journal_mode = WAL;");
        var version = c.ExecuteScalar<int>("PRAGMA user_version");
        if (version > Schema.LatestVersion)
            throw new StoreVersionException(Path, version, Schema.LatestVersion);
        if (version == Schema.LatestVersion)
            return;

        // IMMEDIATE takes the write lock up front so two processes opening a new file cannot both migrate.
        using var tx = c.BeginTransaction(deferred: false);
        version = c.ExecuteScalar<int>("PRAGMA user_version", transaction: tx);
        if (version > Schema.LatestVersion)
            throw new StoreVersionException(Path, version, Schema.LatestVersion);
        for (var v = version; v < Schema.LatestVersion; v++)
        {
            c.Execute(Schema.Migrations[v], transaction: tx);
            c.Execute($"PRAGMA user_version = {v + 1}", transaction: tx);
        }
        tx.Commit();
    }

    internal static string Now() =>
        DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
