using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Storage;

/// <summary>What <see cref="StoreCheck.Run"/> found in a store file.</summary>
public sealed record StoreCheckReport
{
    public required string Path { get; init; }

    /// <summary>Bytes of the file and of its -wal beside it.</summary>
    public long Size { get; init; }
    public long WalSize { get; init; }
    public int SchemaVersion { get; init; }

    /// <summary>SQLite's integrity_check rows: exactly "ok" when the file is sound.</summary>
    public IReadOnlyList<string> Integrity { get; init; } = [];
    public IReadOnlyList<RunRecord> Runs { get; init; } = [];
    public IReadOnlyList<LeaseHolder> Leases { get; init; } = [];
    public IReadOnlyList<CallInFlight> CallsInFlight { get; init; } = [];

    /// <summary>Why runs, leases or calls in flight could not be read (a damaged file), if so.</summary>
    public string? ReadError { get; init; }

    public bool IntegrityOk => Integrity is ["ok"] && ReadError is null;
}

/// <summary>
/// `adaem doctor`'s look at a store: SQLite's integrity check, the schema version, and the runs with their
/// leases and claims on calls in flight. It opens the file as it is (no migration, nothing created) and
/// writes nothing.
/// </summary>
public static class StoreCheck
{
    /// <summary>The schema version this adaem writes.</summary>
    public static int LatestVersion => Schema.LatestVersion;

    /// <summary>Checks the store at <paramref name="path"/>; throws <see cref="StoreException"/> when the file is not a store at
    /// all.</summary>
    public static StoreCheckReport Run(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full) || !File.Exists(full))
        {
            throw Directory.Exists(full)
                ? new StoreException(
                    StoreFailure.CannotOpen,
                    full,
                    $"{full} is a directory, not a store.",
                    "point 'store:' in the config to the store file."
                )
                : new StoreException(
                    StoreFailure.CannotOpen,
                    full,
                    $"there is no store at {full}.",
                    "check 'store:' in the config; a first 'adaem generate' or 'adaem run' creates the store."
                );
        }
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 10,
        }.ToString();
        try
        {
            using var c = new SqliteConnection(cs);
            c.Open();
            var version = c.ExecuteScalar<int>("PRAGMA user_version");
            var tables = c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet(StringComparer.Ordinal);
            if (version == 0 && !tables.Contains("runs"))
                throw new StoreException(
                    StoreFailure.NotAStore,
                    full,
                    $"{full} is a SQLite database, but not an adaem store (it has no adaem tables).",
                    "point 'store:' in the config to your adaem store, or to a new path."
                );
            var integrity = Integrity(c);
            var report = new StoreCheckReport
            {
                Path = full,
                Size = new FileInfo(full).Length,
                WalSize = File.Exists(full + "-wal") ? new FileInfo(full + "-wal").Length : 0,
                SchemaVersion = version,
                Integrity = integrity,
            };
            try
            {
                return report with
                {
                    Runs = c.Query<RunRecord>(
                            "SELECT name, created_at AS CreatedAt, updated_at AS UpdatedAt, config_hash AS ConfigHash, stage, status, detail FROM runs ORDER BY created_at, name"
                        )
                        .AsList(),
                    Leases = tables.Contains("run_leases")
                        ? c.Query<LeaseHolder>(
                                "SELECT run, pid, host, command, token, started_at AS StartedAt, heartbeat_at AS HeartbeatAt FROM run_leases ORDER BY run"
                            )
                            .AsList()
                        : [],
                    CallsInFlight = tables.Contains("calls_in_flight")
                        ? c.Query<CallInFlight>(
                                "SELECT key, token, started_at AS StartedAt, heartbeat_at AS HeartbeatAt FROM calls_in_flight ORDER BY started_at"
                            )
                            .AsList()
                        : [],
                };
            }
            catch (SqliteException e) when (StoreErrors.Classify(e) == StoreFailure.Corrupt)
            {
                return report with { ReadError = e.Message };
            }
        }
        catch (SqliteException e) when (StoreErrors.Classify(e) == StoreFailure.Corrupt)
        {
            // So damaged that the schema cannot be read: the integrity check has failed.
            return new StoreCheckReport
            {
                Path = full,
                Size = new FileInfo(full).Length,
                Integrity = [e.Message],
                ReadError = e.Message,
            };
        }
        catch (SqliteException e) when (StoreErrors.Explain(e, full) is { } explained)
        {
            throw explained;
        }
    }

    private static List<string> Integrity(SqliteConnection c)
    {
        try
        {
            return c.Query<string>("PRAGMA integrity_check").AsList();
        }
        catch (SqliteException e) when (StoreErrors.Classify(e) == StoreFailure.Corrupt)
        {
            return [e.Message];
        }
    }
}
