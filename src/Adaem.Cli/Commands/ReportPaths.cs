using Adaem.Core.Configuration;

namespace Adaem.Cli.Commands;

/// <summary>Where a run's files live: --out if given, else out/RUN/ beside the config.</summary>
internal static class ReportPaths
{
    public static string OutDirectory(AdaemConfig config, string run, string? outOption) =>
        outOption is { Length: > 0 } o ? Path.GetFullPath(o) : Path.Combine(config.Directory, "out", run);
}
