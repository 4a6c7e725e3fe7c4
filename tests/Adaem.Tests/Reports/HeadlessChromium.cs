using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Adaem.Tests.Reports;

/// <summary>
/// A real headless Chromium driven over the DevTools protocol (a WebSocket on 127.0.0.1): it loads a page,
/// records every network request and every failed one, and evaluates expressions in the loaded page.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    public sealed record PageLoad(IReadOnlyList<string> Requests, IReadOnlyList<string> Failures);

    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _nextId;
    private string? _session;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser binary: ADAEM_CHROMIUM, else Debian's /usr/bin/chromium, else null.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("ADAEM_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : null;
        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
            if (File.Exists(candidate))
                return candidate;
        return null;
    }

    public static async Task<HeadlessChromium> StartAsync(string binary, CancellationToken ct)
    {
        var profile = Path.Combine(Path.GetTempPath(), "adaem-chromium-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profile);
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (
            var a in new[]
            {
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                $"--user-data-dir={profile}",
                "about:blank",
            }
        )
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {binary}");
        var browser = new HeadlessChromium(process, profile);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        // Chromium prints the DevTools endpoint on stderr once it listens.
        string? endpoint = null;
        while (endpoint is null)
        {
            var line =
                await process.StandardError.ReadLineAsync(ct)
                ?? throw new InvalidOperationException("chromium exited before it opened the DevTools endpoint");
            var m = DevToolsLine().Match(line);
            if (m.Success)
                endpoint = m.Groups[1].Value;
        }
        _ = process.StandardError.ReadToEndAsync(ct);
        await browser._socket.ConnectAsync(new Uri(endpoint), ct);
        var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, ct, browserLevel: true);
        var attached = await browser.SendAsync(
            "Target.attachToTarget",
            new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true },
            ct,
            browserLevel: true
        );
        browser._session = attached["sessionId"]!.GetValue<string>();
        await browser.SendAsync("Network.enable", new JsonObject(), ct);
        await browser.SendAsync("Page.enable", new JsonObject(), ct);
        return browser;
    }

    /// <summary>Navigates and waits for the load event, returning every request the page made and every one that failed.</summary>
    public async Task<PageLoad> LoadAsync(string url, CancellationToken ct)
    {
        var requests = new List<string>();
        var failures = new List<string>();
        var urls = new Dictionary<string, string>();
        var id = await SendRawAsync("Page.navigate", new JsonObject { ["url"] = url }, false, ct);
        bool answered = false,
            loaded = false;
        while (!(answered && loaded))
        {
            var msg = await ReceiveAsync(ct);
            if (msg["id"]?.GetValue<int>() == id)
            {
                answered = true;
                if (msg["result"]?["errorText"]?.GetValue<string>() is { Length: > 0 } navError)
                    failures.Add($"{url}: {navError}");
                continue;
            }
            var method = msg["method"]?.GetValue<string>();
            var p = msg["params"];
            switch (method)
            {
                case "Network.requestWillBeSent":
                    var u = p!["request"]!["url"]!.GetValue<string>();
                    urls[p["requestId"]!.GetValue<string>()] = u;
                    requests.Add(u);
                    break;
                case "Network.loadingFailed":
                    var rid = p!["requestId"]!.GetValue<string>();
                    failures.Add($"{urls.GetValueOrDefault(rid, rid)}: {p["errorText"]?.GetValue<string>()}");
                    break;
                case "Network.responseReceived" when p!["response"]!["status"]?.GetValue<int>() is >= 400 and var status:
                    failures.Add($"{p["response"]!["url"]!.GetValue<string>()}: HTTP {status}");
                    break;
                case "Page.loadEventFired":
                    loaded = true;
                    break;
            }
        }
        return new PageLoad(requests, failures);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, ct);
        if (result["exceptionDetails"] is { } ex)
            throw new InvalidOperationException($"page script failed: {ex.ToJsonString()}");
        return result["result"]?["value"];
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, CancellationToken ct, bool browserLevel = false)
    {
        var id = await SendRawAsync(method, parameters, browserLevel, ct);
        while (true)
        {
            var msg = await ReceiveAsync(ct);
            if (msg["id"]?.GetValue<int>() != id)
                continue;
            if (msg["error"] is { } error)
                throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return msg["result"]!;
        }
    }

    private async Task<int> SendRawAsync(string method, JsonObject parameters, bool browserLevel, CancellationToken ct)
    {
        var id = ++_nextId;
        var msg = new JsonObject
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters,
        };
        if (!browserLevel && _session is not null)
            msg["sessionId"] = _session;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(msg.ToJsonString()), WebSocketMessageType.Text, true, ct);
        return id;
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var ms = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = await _socket.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException("chromium closed the DevTools connection");
            ms.Write(buffer, 0, r.Count);
        } while (!r.EndOfMessage);
        return JsonNode.Parse(ms.ToArray())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await SendRawAsync("Browser.close", new JsonObject(), true, cts.Token);
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or InvalidOperationException) { }
        finally
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
            _socket.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
