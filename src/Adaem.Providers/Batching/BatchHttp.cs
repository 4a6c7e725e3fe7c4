using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Adaem.Providers.Engine;

namespace Adaem.Providers.Batching;

/// <summary>
/// The HTTP of a batch API: requests with the provider's auth headers, each bounded by a timeout, and failures
/// thrown as <see cref="HttpRequestException"/>s with the status, the server's error text and its Retry-After,
/// which <see cref="CallFailure.Classify"/> reads like a chat call's.
/// </summary>
internal sealed class BatchHttp(Action<HttpRequestHeaders> authorize, TimeSpan timeout) : IDisposable
{
    /// <summary>Uploads and downloads of whole batch files get at least this long.</summary>
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(10);
    private const int MaxErrorText = 1000;

    private readonly HttpClient _http = new(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<JsonNode> JsonAsync(
        HttpMethod method,
        string url,
        HttpContent? content,
        CancellationToken cancellationToken,
        bool transfer = false
    )
    {
        var text = await TextAsync(method, url, content, cancellationToken, transfer).ConfigureAwait(false);
        return JsonNode.Parse(text) ?? throw new InvalidDataException($"{method} {Path(url)} answered with no JSON");
    }

    public static HttpContent Json(JsonNode body) => new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");

    public async Task<string> TextAsync(
        HttpMethod method,
        string url,
        HttpContent? content,
        CancellationToken cancellationToken,
        bool transfer = false
    )
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(transfer && timeout < TransferTimeout ? TransferTimeout : timeout);
        using var request = new HttpRequestMessage(method, url) { Content = content };
        authorize(request.Headers);
        try
        {
            using var response = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return body;
            var error = new HttpRequestException(
                $"{method} {Path(url)}: HTTP {(int)response.StatusCode} {Trim(body)}",
                null,
                response.StatusCode
            );
            if (CallFailure.ParseRetryAfter(name => response.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null) is { } wait)
                error.Data[CallFailure.RetryAfterData] = wait;
            throw error;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {Path(url)}: no reply within the timeout (timeout_s)");
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The path of a URL: messages name what was asked without the host or a query that might carry a credential.</summary>
    private static string Path(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.AbsolutePath : "";

    private static string Trim(string body)
    {
        var one = body.ReplaceLineEndings(" ").Trim();
        return one.Length > MaxErrorText ? one[..MaxErrorText] + "..." : one;
    }
}
