using System.Diagnostics;

namespace Adaem.Tests.Support;

/// <summary>
/// Makes a file or folder read-only for this process, and writable again when disposed. As root, mode bits
/// stop nothing, so the immutable attribute (chattr +i) is used instead; null when neither works here.
/// </summary>
public sealed class ReadOnlyPath : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;
    private readonly UnixFileMode _mode;

    private ReadOnlyPath(string path, bool immutable, UnixFileMode mode)
    {
        _path = path;
        _immutable = immutable;
        _mode = mode;
    }

    public static ReadOnlyPath? Make(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        if (Environment.UserName != "root" && Run("id", "-u") is not "0")
        {
            var mode = File.GetUnixFileMode(path);
            File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
            return new ReadOnlyPath(path, false, mode);
        }
        return Run("chattr", "+i", path) is not null ? new ReadOnlyPath(path, true, default) : null;
    }

    public void Dispose()
    {
        if (_immutable)
            Run("chattr", "-i", _path);
        else if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_path, _mode);
    }

    /// <summary>The command's output when it exits 0, else null (also when it cannot be started).</summary>
    private static string? Run(string file, params string[] args)
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
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
