using Adaem.Cli;
using Adaem.Storage;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Foundation;

/// <summary>
/// The classifier on the real SqliteExceptions SQLite raises for each failure class (made on real files),
/// wrapped as they reach the CLI, and the exit codes of the contract they map to.
/// </summary>
public sealed class StoreErrorClassTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_full_disk_is_exit_1_with_free_space_and_rerun_and_the_calls_saved_before_it_stay()
    {
        var path = _dir.File("adaem.db");
        var store = AdaemStore.Open(path);
        store.RecordCall(Call("saved", 10));
        // max_page_count caps this connection's file: the next pages SQLite needs fail with a real SQLITE_FULL.
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cap = c.CreateCommand();
        cap.CommandText = "PRAGMA max_page_count = 1; SELECT COUNT(*) FROM model_calls";
        cap.ExecuteScalar();
        using var insert = c.CreateCommand();
        insert.CommandText =
            "INSERT INTO model_calls(key, model, provider, request_json, response_text, latency_ms, created_at) VALUES ('big', 'm', 'p', '{}', $t, 1, 'now')";
        insert.Parameters.AddWithValue("$t", new string('x', 200_000));
        var full = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());

        var e = StoreErrors.Explain(new AggregateException(new InvalidOperationException("Dapper", full)), path)!;

        Assert.Equal(StoreFailure.DiskFull, e.Failure);
        Assert.False(e.IsEnvironment);
        Assert.Equal(
            $"the disk that holds the store {path} is full: SQLite could not write (SQLite error 13: database or disk is full).",
            e.What
        );
        Assert.StartsWith("free space and rerun the same command", e.Fix);
        Assert.Equal(ErrorReporter.Failed, ErrorReporter.Report(full, path));
        Assert.NotNull(store.TryGetCachedCall("saved"));
    }

    [Fact]
    public void A_store_locked_past_the_busy_timeout_is_exit_1_naming_another_process()
    {
        var path = _dir.File("adaem.db");
        AdaemStore.Open(path);
        using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        holder.Open();
        using var held = holder.BeginTransaction(deferred: false); // another process's write transaction
        using var lockIt = holder.CreateCommand();
        lockIt.Transaction = held;
        lockIt.CommandText = "INSERT INTO runs(name, created_at, updated_at, config_hash) VALUES ('held', 'a', 'a', 'h')";
        lockIt.ExecuteNonQuery();
        using var other = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
        other.Open();
        using var write = other.CreateCommand();
        write.CommandText = "INSERT INTO runs(name, created_at, updated_at, config_hash) VALUES ('x', 'a', 'a', 'h')"; // gives up after Default Timeout (1 s)
        var busy = Assert.Throws<SqliteException>(() => write.ExecuteNonQuery());

        var e = StoreErrors.Explain(busy, path)!;

        Assert.Equal(StoreFailure.Busy, e.Failure);
        Assert.Contains($"the store {path} stayed locked by another process", e.What);
        Assert.Contains("another adaem command (or a tool such as the sqlite3 shell) holds the store", e.Fix);
        Assert.Equal(ErrorReporter.Failed, ErrorReporter.Report(new InvalidOperationException("wrapped", busy), path));
    }

    [Fact]
    public void A_write_to_a_store_opened_read_only_is_exit_2_and_read_only()
    {
        // The read-only case every user can make, also as root (where file modes stop no write).
        var path = _dir.File("adaem.db");
        AdaemStore.Open(path);
        using var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var write = c.CreateCommand();
        write.CommandText = "INSERT INTO runs(name, created_at, updated_at, config_hash) VALUES ('x', 'a', 'a', 'h')";
        var readOnly = Assert.Throws<SqliteException>(() => write.ExecuteNonQuery());

        var e = StoreErrors.Explain(readOnly, path)!;

        Assert.Equal(StoreFailure.ReadOnly, e.Failure);
        Assert.True(e.IsEnvironment);
        Assert.Contains($"the store {path} is read-only", e.What);
        Assert.Equal(ErrorReporter.BadInput, ErrorReporter.Report(readOnly, path));
    }

    [Fact]
    public void Open_names_the_path_for_a_text_file_a_directory_and_a_missing_folder_that_cannot_be_made()
    {
        var text = _dir.Write("notes.db", "not a database at all, just some text that is long enough to be read as a header\n");
        var notAStore = Assert.Throws<StoreException>(() => AdaemStore.Open(text));
        Assert.Equal(StoreFailure.NotAStore, notAStore.Failure);
        Assert.StartsWith($"{text} is not an adaem store", notAStore.What);

        Directory.CreateDirectory(_dir.File("dir.db"));
        var directory = Assert.Throws<StoreException>(() => AdaemStore.Open(_dir.File("dir.db")));
        Assert.Equal(StoreFailure.CannotOpen, directory.Failure);
        Assert.Contains("it is a directory, not a file", directory.What);

        var underFile = Path.Combine(text, "sub", "adaem.db"); // a folder that cannot exist: its parent is a file
        var folder = Assert.Throws<StoreException>(() => AdaemStore.Open(underFile));
        Assert.Equal(StoreFailure.CannotOpen, folder.Failure);
        Assert.Contains($"cannot open the store {underFile}: its folder", folder.What);
    }

    [Fact]
    public void Errors_that_are_not_about_the_store_file_are_left_alone()
    {
        var path = _dir.File("adaem.db");
        AdaemStore.Open(path);
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var bad = c.CreateCommand();
        bad.CommandText = "INSERT INTO runs(name) VALUES (NULL)"; // a constraint: a bug, not the user's store
        var constraint = Assert.Throws<SqliteException>(() => bad.ExecuteNonQuery());
        Assert.Null(StoreErrors.Explain(constraint, path));
        Assert.Null(StoreErrors.Explain(new InvalidOperationException("no SQLite here"), path));
    }

    private static ModelCallRecord Call(string key, int size) =>
        new()
        {
            Key = key,
            Model = "m",
            Provider = "p",
            RequestJson = "{}",
            ResponseText = new string('a', size),
            LatencyMs = 1,
        };
}
