using System.Diagnostics;

namespace Adaem.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}

/// <summary>Runs the real `adaem` CLI as a child process (the built adaem.dll beside the tests).</summary>
public static class CliProcess
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "adaem.dll");

    public static ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return psi;
    }

    public static async Task<CliResult> RunAsync(string workingDirectory, IDictionary<string, string>? env, params string[] args)
    {
        var psi = StartInfo(workingDirectory, args);
        if (env is not null)
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);
}
