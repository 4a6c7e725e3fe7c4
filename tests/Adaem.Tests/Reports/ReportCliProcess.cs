using System.Diagnostics;

namespace Adaem.Tests.Reports;

/// <summary>Runs the built adaem CLI as a real child process and captures its exit code and output.</summary>
internal static class ReportCliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string workingDirectory, CancellationToken ct, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "adaem.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
