using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Adaem.Bench.Latency;

/// <summary>
/// Runs a command as this process's only child and writes the child's peak resident set (getrusage's
/// ru_maxrss of the children, which the kernel keeps after the child has gone) to a file, in bytes. A
/// process of its own, because RUSAGE_CHILDREN is the largest of all children a process has waited for,
/// and the bench starts many. Linux only (ru_maxrss is in KiB there).
/// Usage: Adaem.Bench.dll __peak-rss OUTFILE COMMAND [ARGS...]; the child's stdout and stderr pass through.
/// </summary>
internal static class PeakRss
{
    public const string Command = "__peak-rss";

    public static async Task<int> RunAsync(string[] args)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the peak-memory measurement reads ru_maxrss as Linux reports it");
        var psi = new ProcessStartInfo(args[1]) { UseShellExecute = false };
        foreach (var a in args[2..])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        if (GetRusage(RusageChildren, out var usage) != 0)
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        await File.WriteAllTextAsync(args[0], (usage.MaxRss * 1024).ToString(CultureInfo.InvariantCulture));
        return p.ExitCode;
    }

    private const int RusageChildren = -1;

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs (ru_maxrss first).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds,
            UserMicros,
            SystemSeconds,
            SystemMicros;
        public long MaxRss,
            IxRss,
            IdRss,
            IsRss,
            MinFlt,
            MajFlt,
            NSwap,
            InBlock,
            OuBlock,
            MsgSnd,
            MsgRcv,
            NSignals,
            NvCsw,
            NivCsw;
    }
}
