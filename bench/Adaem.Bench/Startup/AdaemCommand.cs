using System.Diagnostics;

namespace Adaem.Bench.Startup;

/// <summary>
/// One way of starting adaem that the startup bench compares: a folder holding adaem (a publish folder, an
/// installed tool's --tool-path, or the build output beside the bench) and environment variables for the runtime.
/// An apphost or tool shim named adaem is started directly, as a user's shell does; otherwise `dotnet adaem.dll`.
/// </summary>
internal sealed record AdaemCommand(string Label, string Folder, IReadOnlyDictionary<string, string> Environment)
{
    public ProcessStartInfo StartInfo(string workingDirectory, params string[] args)
    {
        var exe = Path.Combine(Folder, OperatingSystem.IsWindows() ? "adaem.exe" : "adaem");
        var psi = File.Exists(exe) ? new ProcessStartInfo(exe) : new ProcessStartInfo("dotnet");
        if (!File.Exists(exe))
            psi.ArgumentList.Add(Path.Combine(Folder, "adaem.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.WorkingDirectory = workingDirectory;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in Environment)
            psi.Environment[k] = v;
        return psi;
    }

    public AdaemCommand With(string label, string variable, string value) =>
        this with
        {
            Label = label,
            Environment = new Dictionary<string, string>(Environment) { [variable] = value },
        };
}
