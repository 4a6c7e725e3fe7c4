using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Adaem.Tests.Providers;

/// <summary>
/// A loopback NuGet v3 feed (HttpListener on 127.0.0.1): the service index, the flat container's version lists
/// and .nupkg/.nuspec downloads, for the packages it is given as files. Enough for `dotnet restore` to fetch
/// exact versions from it. It records every path asked for.
/// </summary>
public sealed class NuGetFeedStub : IAsyncDisposable
{
    private readonly LoopbackListener _http;
    private readonly Dictionary<(string Id, string Version), string> _packages;
    private readonly ConcurrentQueue<string> _requests = new();

    private NuGetFeedStub(Dictionary<(string, string), string> packages)
    {
        _packages = packages;
        _http = LoopbackListener.Start(HandleAsync);
        Root = $"http://127.0.0.1:{_http.Port}";
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Root { get; }

    /// <summary>The service index, what a nuget.config names as the source.</summary>
    public string ServiceIndex => Root + "/v3/index.json";

    /// <summary>Every path requested, in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    /// <summary>A feed serving these .nupkg files, each keyed by package id and version (any case).</summary>
    public static NuGetFeedStub Start(IEnumerable<(string Id, string Version, string Nupkg)> packages)
    {
        var map = packages.ToDictionary(p => (p.Id.ToLowerInvariant(), p.Version.ToLowerInvariant()), p => p.Nupkg);
        return new NuGetFeedStub(map);
    }

    /// <summary>A nuget.config that names only <paramref name="serviceIndex"/> (every other source cleared).</summary>
    public static string Config(string serviceIndex) =>
        $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="loopback" value="{serviceIndex}" allowInsecureConnections="true" />
              </packageSources>
            </configuration>
            """;

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext http)
    {
        var path = http.Request.Url?.AbsolutePath ?? "/";
        _requests.Enqueue(path);
        try
        {
            var parts = path.Trim('/').Split('/');
            if (path == "/v3/index.json")
            {
                await Json(http, $$"""{"version":"3.0.0","resources":[{"@id":"{{Root}}/v3/flat/","@type":"PackageBaseAddress/3.0.0"}]}""");
            }
            else if (parts is ["v3", "flat", var id, "index.json"])
            {
                var versions = _packages
                    .Keys.Where(k => string.Equals(k.Id, id, StringComparison.OrdinalIgnoreCase))
                    .Select(k => $"\"{k.Version}\"")
                    .ToList();
                if (versions.Count == 0)
                    http.Response.StatusCode = 404;
                else
                    await Json(http, $$"""{"versions":[{{string.Join(",", versions)}}]}""");
            }
            else if (
                parts is ["v3", "flat", var pid, var version, var file]
                && _packages.TryGetValue((pid.ToLowerInvariant(), version.ToLowerInvariant()), out var nupkg)
            )
            {
                if (file.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
                {
                    http.Response.ContentType = "application/octet-stream";
                    http.Response.ContentLength64 = new FileInfo(nupkg).Length;
                    await using var source = File.OpenRead(nupkg);
                    await source.CopyToAsync(http.Response.OutputStream, _http.Stopping);
                }
                else if (file.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                {
                    using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
                    var entry = zip.Entries.First(e =>
                        e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/')
                    );
                    await using var s = entry.Open();
                    using var ms = new MemoryStream();
                    await s.CopyToAsync(ms, _http.Stopping);
                    http.Response.ContentType = "application/xml";
                    await http.Response.OutputStream.WriteAsync(ms.ToArray(), _http.Stopping);
                }
                else
                    http.Response.StatusCode = 404;
            }
            else
            {
                http.Response.StatusCode = 404;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the feed is stopping.
        }
        finally
        {
            try
            {
                http.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    private static async Task Json(HttpListenerContext http, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Response.ContentType = "application/json";
        http.Response.ContentLength64 = bytes.Length;
        await http.Response.OutputStream.WriteAsync(bytes);
    }
}
