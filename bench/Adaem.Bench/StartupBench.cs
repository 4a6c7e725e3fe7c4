using System.Diagnostics;
using System.Globalization;
using Adaem.Bench.Startup;

namespace Adaem.Bench;

/// <summary>
/// How fast adaem starts, for several builds and runtime settings measured in one run, interleaved round by round
/// so the machine's load falls on all alike: the wall time of `adaem --help`, and the time from process start to
/// the first model request of `adaem evaluate` against a loopback server (target &lt; 0.3 s). Medians, and each
/// one's ratio to the first build's.
/// Without --tool it publishes this checkout's CLI for this machine twice, JIT-only and ReadyToRun (as the
/// platform tool packages are), into a temp folder. Options: --tool [LABEL=]DIR (repeatable; a publish folder or a
/// `dotnet tool install --tool-path` folder), --runs N (default 7), --settings (also the ReadyToRun build with
/// DOTNET_TieredPGO=0, DOTNET_TieredCompilation=0 and DOTNET_ReadyToRun=0).
/// </summary>
public sealed class StartupBench : IBench
{
    private const double FirstRequestTarget = 0.3;

    public string Name => "startup";
    public string Description => "adaem --help and process start to first model request: JIT vs ReadyToRun builds (and runtime settings)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var runs = Option(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 7;
        var dir = Directory.CreateTempSubdirectory("adaem-bench-startup-").FullName;
        try
        {
            var tools = Tools(args);
            if (tools.Count == 0)
            {
                tools.Add(await PublishAsync("jit", dir, readyToRun: false, ct));
                tools.Add(await PublishAsync("r2r", dir, readyToRun: true, ct));
            }
            if (args.Contains("--settings"))
            {
                var last = tools[^1];
                tools.Add(last.With(last.Label + "+TieredPGO=0", "DOTNET_TieredPGO", "0"));
                tools.Add(last.With(last.Label + "+TieredCompilation=0", "DOTNET_TieredCompilation", "0"));
                tools.Add(last.With(last.Label + "+ReadyToRun=0", "DOTNET_ReadyToRun", "0"));
            }
            Console.WriteLine($"startup: {tools.Count} variants × {runs} rounds, interleaved; load average {RunBench.LoadAverage()}");

            var help = tools.ToDictionary(t => t.Label, _ => new List<double>());
            var first = tools.ToDictionary(t => t.Label, _ => new List<double>());
            var total = tools.ToDictionary(t => t.Label, _ => new List<double>());
            // One warm-up round (disk cache, first JIT of nothing shared), not counted.
            for (var round = 0; round <= runs; round++)
            {
                foreach (var tool in round % 2 == 0 ? tools : Enumerable.Reverse(tools))
                {
                    var h = await HelpAsync(tool, dir, ct);
                    var f = await FirstRequest.MeasureAsync(tool, dir, ct);
                    if (round == 0)
                        continue;
                    help[tool.Label].Add(h);
                    first[tool.Label].Add(f.ToFirstRequest.TotalSeconds);
                    total[tool.Label].Add(f.Total.TotalSeconds);
                }
            }

            var baseline = tools[0].Label;
            Console.WriteLine(
                F(
                    $"{"variant", -28} {"--help median", 14} {"ratio", 6} {"first request median", 21} {"ratio", 6} {"evaluate (4×2) median", 22}"
                )
            );
            foreach (var t in tools)
            {
                Console.WriteLine(
                    F(
                        $"{t.Label, -28} {Median(help[t.Label]), 12:0.000} s {Median(help[t.Label]) / Median(help[baseline]), 6:0.00} {Median(first[t.Label]), 19:0.000} s {Median(first[t.Label]) / Median(first[baseline]), 6:0.00} {Median(total[t.Label]), 20:0.000} s"
                    )
                );
                Console.WriteLine(
                    $"  --help: {string.Join(" ", help[t.Label].Select(x => F($"{x:0.000}")))}; first request: {string.Join(" ", first[t.Label].Select(x => F($"{x:0.000}")))}"
                );
            }
            var best = tools.Min(t => Median(first[t.Label]));
            Console.WriteLine(
                F(
                    $"startup: first request, best median {best:0.000} s  target < {FirstRequestTarget} s  ratio {FirstRequestTarget / best:0.00}; load average {RunBench.LoadAverage()}"
                )
            );
            return best < FirstRequestTarget ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> HelpAsync(AdaemCommand tool, string dir, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(tool.StartInfo(dir, "--help"))!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{tool.Label}: adaem --help exited {p.ExitCode}\n{await stdout}{await stderr}");
        return seconds;
    }

    /// <summary>`dotnet publish` of this checkout's CLI for this machine, framework-dependent, as a platform tool package carries
    /// it.</summary>
    private static async Task<AdaemCommand> PublishAsync(string label, string dir, bool readyToRun, CancellationToken ct)
    {
        var output = Path.Combine(dir, label);
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var a in new[]
            {
                "publish",
                Path.Combine(RepositoryRoot(), "src", "Adaem.Cli"),
                "-c",
                "Release",
                "-r",
                rid,
                "--self-contained",
                "false",
                $"-p:PublishReadyToRun={(readyToRun ? "true" : "false")}",
                "-o",
                output,
            }
        )
            psi.ArgumentList.Add(a);
        Console.WriteLine($"startup: publishing {label} ({rid}, ReadyToRun {(readyToRun ? "on" : "off")}) ...");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish ({label}) exited {p.ExitCode}\n{await stdout}{await stderr}");
        return new AdaemCommand(label, output, new Dictionary<string, string>());
    }

    private static List<AdaemCommand> Tools(string[] args)
    {
        var tools = new List<AdaemCommand>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] != "--tool")
                continue;
            var spec = args[i + 1];
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            var folder = Path.GetFullPath(eq < 0 ? spec : spec[(eq + 1)..]);
            tools.Add(new AdaemCommand(eq < 0 ? Path.GetFileName(folder) : spec[..eq], folder, new Dictionary<string, string>()));
        }
        return tools;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? double.NaN
            : s.Count % 2 == 1 ? s[s.Count / 2]
            : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Adaem.slnx")))
                return d.FullName;
        throw new InvalidOperationException($"no Adaem.slnx above {AppContext.BaseDirectory}; pass --tool DIR");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
