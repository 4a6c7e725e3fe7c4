using System.Diagnostics;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Cli;

/// <summary>
/// examples/library/study.cs, the front door for notebooks and other harnesses, run as a user runs it
/// (`dotnet run examples/library/study.cs -- CONFIG`, a real .NET 10 file-based app): it must do the whole
/// study the CLI does, so that the CLI afterwards finds every call answered and every file current.
/// </summary>
public sealed class LibraryExampleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_library_example_runs_the_offline_study_and_the_cli_then_has_nothing_left_to_ask()
    {
        using var dir = new TempDir();
        var config = dir.Write(
            "offline.yaml",
            File.ReadAllText(Path.Combine(RepoPaths.Examples, "offline.yaml"))
                .Replace("budget: 40 ", "budget: 6 ", StringComparison.Ordinal)
                .Replace("max_arms: 30 ", "max_arms: 6 ", StringComparison.Ordinal)
                .Replace("select_top: 100 ", "select_top: 12 ", StringComparison.Ordinal)
        );

        var example = await RunExampleAsync(config);

        Assert.True(example.ExitCode == 0, example.All);
        Assert.Contains("generate: bandit steps, 6 of 6 to do", example.Stdout);
        Assert.Contains("evaluate: answers judged", example.Stdout);
        var profiles = example.Stdout.Split('\n').Where(l => l.Contains("self_direction", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, profiles.Count);
        var scores = dir.File("out/library/scores.csv");
        Assert.True(File.Exists(dir.File("out/library/report.html")));
        var written = await File.ReadAllBytesAsync(scores, Ct);

        var cli = await CliProcess.RunAsync(dir.Path, "run", "-c", config, "--run", "library", "--quiet");
        Assert.True(cli.ExitCode == 0, cli.All);
        Assert.Contains("model calls in generate: 0 made", cli.Stdout);
        Assert.Contains("model calls in evaluate: 0 made", cli.Stdout);
        Assert.Equal(written, await File.ReadAllBytesAsync(scores, Ct));
    }

    private static async Task<CliResult> RunExampleAsync(string config)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "run", Path.Combine("examples", "library", "study.cs"), "--", config })
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(Ct);
        var stderr = p.StandardError.ReadToEndAsync(Ct);
        await p.WaitForExitAsync(Ct);
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }
}
