using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Evaluation;

/// <summary>A fresh temporary folder for one test (store files, configs, outputs), removed afterwards.</summary>
internal sealed class EvalTemp : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "adaem-eval-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    public string File(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        // Pooled SQLite connections keep the files open; release them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
