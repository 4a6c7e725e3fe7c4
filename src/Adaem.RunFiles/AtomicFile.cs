using System.Diagnostics;
using System.Globalization;
using System.Text;
using Adaem.Core.Errors;

namespace Adaem.RunFiles;

/// <summary>
/// The one way adaem writes an output file: into a temporary file in the target's own folder, flushed to
/// disk, then renamed over the target. A rename within one folder is atomic, so a reader (or a later run)
/// sees either the previous file whole or the new one whole, never a cut or empty file; a failure part-way
/// (a bug, a full disk, a kill) leaves the previous file as it was. Temporary files of a killed process are
/// removed by the next write of the same file.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Test hook, read only here: when set to a file path, every write creates that file (its text is the
    /// target's path) just before the rename and waits until the file is deleted. Tests use it to kill a real
    /// process at the worst moment without guessing at timing.
    /// </summary>
    public const string PauseVariable = "ADAEM_TEST_PAUSE_BEFORE_RENAME";

    /// <summary>Suffix of the temporary files; their names are ".TARGET.PID.RANDOM.adaem-tmp".</summary>
    public const string TempSuffix = ".adaem-tmp";

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Writes the bytes <paramref name="write"/> puts into the stream.</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, static s => s);

    /// <summary>Writes text as UTF-8 without a byte order mark, with "\n" line ends.</summary>
    public static void WriteText(string path, Action<TextWriter> write) =>
        Write(
            path,
            stream =>
            {
                using var writer = new StreamWriter(stream, Utf8, leaveOpen: true) { NewLine = "\n" };
                write(writer);
            }
        );

    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(Utf8.GetBytes(text)));

    public static void WriteBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <param name="wrap">Wraps the temporary file's stream before <paramref name="write"/> sees it (tests put a failing disk
    /// here).</param>
    internal static void Write(string path, Action<Stream> write, Func<Stream, Stream> wrap)
    {
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        Directory.CreateDirectory(folder);
        RemoveStaleTemps(folder, name);
        var temp = Path.Combine(
            folder,
            string.Create(
                CultureInfo.InvariantCulture,
                $".{name}.{Environment.ProcessId}.{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..6])}{TempSuffix}"
            )
        );
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var stream = wrap(file);
                write(stream);
                stream.Flush();
                // The bytes must be on disk before the rename makes them the file, or a power cut could leave an empty target.
                file.Flush(flushToDisk: true);
            }
            PauseForTests(target);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new RunFailedException(
                    $"could not write {target}: {e.Message} The previous {name} (if any) is unchanged. "
                        + $"Fix: free disk space or make {folder} writable, then run the same command again; every finished model call is saved.",
                    e
                );
            }
            throw;
        }
    }

    /// <summary>
    /// Temporary files of this target left by a process that no longer runs (killed while writing). Those of a
    /// live process are left alone: it may still be writing, and its rename will tidy up.
    /// </summary>
    private static void RemoveStaleTemps(string folder, string name)
    {
        IEnumerable<string> temps;
        try
        {
            temps = Directory.EnumerateFiles(folder, $".{name}.*{TempSuffix}").ToList();
        }
        catch (IOException)
        {
            return;
        }
        foreach (var temp in temps)
        {
            var parts = Path.GetFileName(temp)[(name.Length + 2)..].Split('.');
            if (parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Running(pid))
                TryDelete(temp);
        }
    }

    private static bool Running(int pid)
    {
        if (pid == Environment.ProcessId)
            return true;
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void PauseForTests(string target)
    {
        if (Environment.GetEnvironmentVariable(PauseVariable) is not { Length: > 0 } marker)
            return;
        var full = Path.GetFullPath(marker);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full));
        // Written whole, then renamed into place, so a test that sees the marker can read the target from it.
        File.WriteAllText(full + ".part", target);
        File.Move(full + ".part", full, overwrite: true);
        // Wait for the test to delete the marker (or kill the process); the timeout only guards against a missed event.
        while (File.Exists(full))
            watcher.WaitForChanged(WatcherChangeTypes.Deleted, 1000);
    }
}
