using Microsoft.Data.Sqlite;

namespace Adaem.Storage;

/// <summary>The ways a store can fail, as far as the person running adaem can act on them.</summary>
public enum StoreFailure
{
    /// <summary>SQLITE_CANTOPEN: the path is a directory, its folder is missing, or SQLite cannot create the file.</summary>
    CannotOpen,

    /// <summary>SQLITE_READONLY, or a folder where SQLite cannot create its -wal and -shm files.</summary>
    ReadOnly,

    /// <summary>SQLITE_NOTADB: not a SQLite file (a text file, a cut header).</summary>
    NotAStore,

    /// <summary>SQLITE_CORRUPT: a SQLite file with damaged pages (a truncated copy, a bad disk).</summary>
    Corrupt,

    /// <summary>SQLITE_FULL: the disk (or the file's size limit) is full.</summary>
    DiskFull,

    /// <summary>SQLITE_BUSY / SQLITE_LOCKED beyond the busy timeout: another process holds the store.</summary>
    Busy,

    /// <summary>SQLITE_IOERR: the operating system failed a read or write.</summary>
    Io,
}

/// <summary>
/// A store failure with the store's path and what to do about it. Failures of the user's environment
/// (<see cref="IsEnvironment"/>: cannot open, read-only, not a store, damaged) exit 2; those that a rerun can
/// get past once the cause is gone (disk full, locked, I/O) exit 1.
/// </summary>
public sealed class StoreException(StoreFailure failure, string storePath, string what, string fix, Exception? inner = null)
    : Exception($"{what} Fix: {fix}", inner)
{
    public StoreFailure Failure { get; } = failure;
    public string StorePath { get; } = storePath;

    /// <summary>What happened, naming the store.</summary>
    public string What { get; } = what;

    /// <summary>What to do; may name 'adaem doctor -c CONFIG' with <see cref="ConfigPlaceholder"/> for the config path.</summary>
    public string Fix { get; } = fix;

    public const string ConfigPlaceholder = "CONFIG";

    public bool IsEnvironment =>
        Failure is StoreFailure.CannotOpen or StoreFailure.ReadOnly or StoreFailure.NotAStore or StoreFailure.Corrupt;
}

/// <summary>Turns SQLite's error codes, wherever they surface (wrapped by Dapper, a writer thread or a task), into <see
/// cref="StoreException"/>s.</summary>
public static class StoreErrors
{
    // Primary result codes (https://www.sqlite.org/rescode.html); extended codes keep them in their low byte.
    private const int Busy = 5,
        Locked = 6,
        ReadOnly = 8,
        IoErr = 10,
        Corrupt = 11,
        Full = 13,
        CantOpen = 14,
        NotADb = 26;

    /// <summary>The class of a SQLite error, or null when it is not about the store's file (a constraint, a bug).</summary>
    public static StoreFailure? Classify(SqliteException e) =>
        (e.SqliteErrorCode & 0xFF) switch
        {
            CantOpen => StoreFailure.CannotOpen,
            ReadOnly => StoreFailure.ReadOnly,
            NotADb => StoreFailure.NotAStore,
            Corrupt => StoreFailure.Corrupt,
            Full => StoreFailure.DiskFull,
            Busy or Locked => StoreFailure.Busy,
            IoErr => StoreFailure.Io,
            _ => null,
        };

    /// <summary>The first <see cref="StoreException"/> or <see cref="SqliteException"/> in an exception, its inner ones and
    /// aggregates.</summary>
    public static Exception? Find(Exception? e)
    {
        switch (e)
        {
            case null:
                return null;
            case StoreException or SqliteException:
                return e;
            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                    if (Find(inner) is { } found)
                        return found;
                return null;
            default:
                return Find(e.InnerException);
        }
    }

    /// <summary>
    /// The store failure inside <paramref name="error"/>, explained for <paramref name="storePath"/> (null when
    /// not known: the message then says "the store"); null when no store failure is behind it.
    /// </summary>
    public static StoreException? Explain(Exception error, string? storePath) =>
        Find(error) switch
        {
            StoreException s => s,
            SqliteException q when storePath is not null => Explain(q, storePath),
            SqliteException q when Classify(q) is not null => Explain(q, "the store"),
            _ => null,
        };

    /// <summary>A <see cref="StoreException"/> for a SQLite failure on the store at <paramref name="path"/>, or null for codes that are not
    /// store failures.</summary>
    public static StoreException? Explain(SqliteException e, string path)
    {
        if (Classify(e) is not { } failure)
            return null;
        var said = $"(SQLite error {e.SqliteErrorCode}: {SqliteMessage(e)})";
        var folder = Path.GetDirectoryName(path) ?? ".";
        var name = Path.GetFileName(path);
        if (failure is StoreFailure.CannotOpen or StoreFailure.ReadOnly)
        {
            if (Directory.Exists(path))
                return new(
                    StoreFailure.CannotOpen,
                    path,
                    $"cannot open the store {path}: it is a directory, not a file {said}.",
                    $"point 'store:' in the config to a file, e.g. {Path.Combine(path, "adaem.db")}, or move the directory away.",
                    e
                );
            if (!Directory.Exists(folder))
                return new(
                    StoreFailure.CannotOpen,
                    path,
                    $"cannot open the store {path}: its folder {folder} does not exist {said}.",
                    $"create {folder}, or point 'store:' in the config to a path in an existing folder.",
                    e
                );
            if (File.Exists(path) && !CanWriteFile(path))
                return new(
                    StoreFailure.ReadOnly,
                    path,
                    $"the store {path} is read-only: this user cannot write the file {said}.",
                    "make the file writable (chmod u+w, or chattr -i), or point 'store:' in the config to a copy in a folder you can write.",
                    e
                );
            if (!CanWriteFolder(folder))
                return new(
                    StoreFailure.ReadOnly,
                    path,
                    $"the store {path} cannot be written: its folder {folder} is read-only, and SQLite needs to create files there (the store, {name}-wal and {name}-shm) {said}.",
                    "make the folder writable for this user, or point 'store:' in the config to a path in a folder you can write.",
                    e
                );
            return failure == StoreFailure.ReadOnly
                ? new(
                    StoreFailure.ReadOnly,
                    path,
                    $"the store {path} is read-only {said}.",
                    "make the file and its folder writable for this user, or point 'store:' in the config to another path.",
                    e
                )
                : new(
                    StoreFailure.CannotOpen,
                    path,
                    $"cannot open the store {path} {said}.",
                    "check that the path names a file in a folder you can write, or point 'store:' in the config to another path.",
                    e
                );
        }
        return failure switch
        {
            StoreFailure.NotAStore => new(
                failure,
                path,
                $"{path} is not an adaem store: it is not a SQLite database, or its header is cut or damaged {said}.",
                $"if 'store:' in the config points to the wrong file, correct it; if this was your store, restore a copy of it, or start a new one at another path. 'adaem doctor -c {StoreException.ConfigPlaceholder}' checks a store.",
                e
            ),
            StoreFailure.Corrupt => new(
                failure,
                path,
                $"the store {path} is damaged {said}; it may have been truncated or copied while in use.",
                $"run 'adaem doctor -c {StoreException.ConfigPlaceholder}' to see what is damaged; restore a copy of the store, or point 'store:' in the config to a new path.",
                e
            ),
            StoreFailure.DiskFull => new(
                failure,
                path,
                $"the disk that holds the store {path} is full: SQLite could not write {said}.",
                "free space and rerun the same command; every call saved before this point is kept and will not be asked again.",
                e
            ),
            StoreFailure.Busy => new(
                failure,
                path,
                $"the store {path} stayed locked by another process for longer than the busy timeout {said}.",
                $"another adaem command (or a tool such as the sqlite3 shell) holds the store: wait for it to finish ('adaem doctor -c {StoreException.ConfigPlaceholder}' lists the runs and who holds them), then rerun the same command.",
                e
            ),
            _ => new(
                failure,
                path,
                $"reading or writing the store {path} failed in the operating system {said}.",
                "check the disk and the file system (dmesg), then rerun the same command; every call saved before this point is kept.",
                e
            ),
        };
    }

    /// <summary>For a folder that cannot be created or written when a store is opened (before SQLite is asked).</summary>
    public static StoreException Folder(string path, Exception e)
    {
        var folder = Path.GetDirectoryName(path) ?? ".";
        return new StoreException(
            StoreFailure.CannotOpen,
            path,
            $"cannot open the store {path}: its folder {folder} cannot be created ({e.Message}).",
            "point 'store:' in the config to a path in a folder you can write, or create the folder.",
            e
        );
    }

    /// <summary>SQLite's own words without Microsoft.Data.Sqlite's "SQLite Error N: '...'" wrapper.</summary>
    private static string SqliteMessage(SqliteException e)
    {
        var m = e.Message;
        var start = m.IndexOf('\'');
        var end = m.LastIndexOf('\'');
        return start >= 0 && end > start ? m[(start + 1)..end] : m;
    }

    private static bool CanWriteFile(string path)
    {
        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool CanWriteFolder(string folder)
    {
        try
        {
            using var _ = new FileStream(
                Path.Combine(folder, $".adaem-write-check-{Guid.NewGuid():N}"),
                FileMode.CreateNew,
                FileAccess.Write,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose
            );
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
