using System.Diagnostics;
using System.Globalization;

namespace Adaem.Tests.Support;

/// <summary>
/// A real small file system (tmpfs of a given size) mounted on a temp folder, so a store on it meets a real
/// full disk (ENOSPC → SQLITE_FULL); it can be grown in place ("free space") and is unmounted when disposed.
/// Mounting needs root (CI and the project's machines run as root); null where it is not allowed.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk? Mount(string path, int kilobytes)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        Directory.CreateDirectory(path);
        return Run("mount", "-t", "tmpfs", "-o", Size(kilobytes), "tmpfs", path) ? new SmallDisk(path) : null;
    }

    /// <summary>Gives the file system more room, keeping its files (tmpfs resizes in place).</summary>
    public void Grow(int kilobytes)
    {
        if (!Run("mount", "-o", "remount," + Size(kilobytes), Path))
            throw new InvalidOperationException($"could not grow the tmpfs at {Path}");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Run("umount", "-l", Path);
    }

    private static string Size(int kilobytes) => "size=" + kilobytes.ToString(CultureInfo.InvariantCulture) + "k";

    private static bool Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in args)
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
