using System.Diagnostics;
using System.Text;

namespace Adaem.Tests.Providers;

/// <summary>The real `adaem` CLI as a child process (dotnet adaem.dll from the test's output folder), with its output captured.</summary>
internal sealed class AdaemProcess : IDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private bool _started;

    private AdaemProcess(Process process) => Process = process;

    public Process Process { get; }

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <param name="start">False prepares the process without starting it; <see cref="Begin"/> starts it.</param>
    public static AdaemProcess Start(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        bool start = true
    )
    {
        var psi = Support.CliProcess.StartInfo(workingDirectory ?? AppContext.BaseDirectory, [.. args]);
        if (environment is not null)
            foreach (var (k, v) in environment)
                psi.Environment[k] = v;
        var p = new AdaemProcess(new Process { StartInfo = psi });
        p.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (p._stdout)
                p._stdout.AppendLine(e.Data);
        };
        p.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (p._stderr)
                p._stderr.AppendLine(e.Data);
        };
        if (start)
            p.Begin();
        return p;
    }

    /// <summary>Starts a process prepared with start: false.</summary>
    public void Begin()
    {
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
        _started = true;
    }

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken
    )
    {
        using var p = Start(args, environment);
        await p.Process.WaitForExitAsync(cancellationToken);
        p.Process.WaitForExit(); // flushes the redirected streams
        return (p.Process.ExitCode, p.StandardOutput, p.StandardError);
    }

    public void Dispose()
    {
        if (_started && !Process.HasExited)
            Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
