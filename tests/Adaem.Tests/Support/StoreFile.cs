using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Support;

/// <summary>A store as the files on disk, for tests that read or damage its bytes.</summary>
public static class StoreFile
{
    /// <summary>Folds the write-ahead log into the main file and deletes the side files, so every row is in the one file.</summary>
    public static void Checkpoint(string store)
    {
        using (var c = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            cmd.ExecuteNonQuery();
        }
        foreach (var side in new[] { "-wal", "-shm" })
            File.Delete(store + side);
    }
}
