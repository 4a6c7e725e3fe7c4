using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Adaem.Bench;

/// <summary>
/// The offline quick start as a user runs it: `adaem run -c examples/offline.yaml` as a child process on a
/// fresh copy in a temp folder (target under 60 s wall), then the same command again, fully cached. Prints
/// the wall time and its ratio to the target, and the model calls each stage made and took from the store.
/// Options: --config PATH (default examples/offline.yaml of this checkout).
/// </summary>
public sealed partial class RunBench : IBench
{
    private const double TargetSeconds = 60.0;

    public string Name => "run";
    public string Description => "adaem run -c examples/offline.yaml on a fresh copy: wall time vs 60 s, calls per stage, cached rerun";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var i = Array.IndexOf(args, "--config");
        var source =
            i >= 0 && i + 1 < args.Length ? Path.GetFullPath(args[i + 1]) : Path.Combine(RepositoryRoot(), "examples", "offline.yaml");
        var dll = Path.Combine(AppContext.BaseDirectory, "adaem.dll");
        var dir = Directory.CreateTempSubdirectory("adaem-bench-run-").FullName;
        try
        {
            var config = Path.Combine(dir, Path.GetFileName(source));
            File.Copy(source, config);
            Console.WriteLine($"run: {source} copied to {dir}; load average {LoadAverage()}");

            var first = await RunOnce(dll, dir, config, cancellationToken);
            if (first is null)
                return 1;
            var second = await RunOnce(dll, dir, config, cancellationToken);
            if (second is null)
                return 1;

            Print("fresh run", first);
            Print("cached rerun", second);
            Console.WriteLine(
                F(
                    $"run: fresh {first.Seconds:0.00} s  target < {TargetSeconds:0} s  ratio {first.Seconds / TargetSeconds:0.000}; cached rerun {second.Seconds:0.00} s; load average {LoadAverage()}"
                )
            );
            return first.Seconds < TargetSeconds ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed record Outcome(double Seconds, IReadOnlyList<(string Stage, long Made, long FromStore, long Failed)> Calls);

    private static async Task<Outcome?> RunOnce(string dll, string dir, string config, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "run", "-c", config, "--quiet" })
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0)
        {
            Console.Error.WriteLine($"run: adaem run exited {p.ExitCode}\n{await stdout}{await stderr}");
            return null;
        }
        var calls = CallLine()
            .Matches(await stdout)
            .Select(m => (m.Groups[1].Value, N(m.Groups[2].Value), N(m.Groups[3].Value), N(m.Groups[4].Value)))
            .ToList();
        return new Outcome(seconds, calls);
    }

    private static void Print(string label, Outcome o)
    {
        Console.WriteLine(F($"run: {label}: {o.Seconds:0.00} s wall (process start to exit)"));
        foreach (var (stage, made, fromStore, failed) in o.Calls)
            Console.WriteLine(F($"  {stage, -9} {made, 6:N0} calls made, {fromStore, 6:N0} from the cache, {failed:N0} failed"));
        Console.WriteLine(F($"  {"total", -9} {o.Calls.Sum(c => c.Made), 6:N0} calls made"));
    }

    private static long N(string s) => long.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>The line each stage prints about its own calls (src/Adaem.Cli/CallLine.cs).</summary>
    [GeneratedRegex(@"^model calls in (\w+): ([\d,]+) made, ([\d,]+) from the cache, ([\d,]+) failed", RegexOptions.Multiline)]
    private static partial Regex CallLine();

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Adaem.slnx")))
                return d.FullName;
        throw new InvalidOperationException($"no Adaem.slnx above {AppContext.BaseDirectory}; pass --config PATH");
    }

    /// <summary>The 1, 5 and 15-minute load averages on Linux (how busy the machine was), or "n/a".</summary>
    internal static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
