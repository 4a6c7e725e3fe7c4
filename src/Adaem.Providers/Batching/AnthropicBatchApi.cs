using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Batching;

/// <summary>
/// Anthropic's Message Batches: the requests travel inline ({custom_id, params} with the Messages API body), the
/// batch is looked at until its processing_status is "ended", and its results are JSONL at results_url, one
/// line per request with a result of type succeeded (the message), errored, canceled or expired.
/// </summary>
internal sealed class AnthropicBatchApi : IBatchApi
{
    /// <summary>The API version the Messages API calls of the SDK send too.</summary>
    private const string ApiVersion = "2023-06-01";

    private readonly string _batches;
    private readonly Uri _root;
    private readonly SdkWire _wire;
    private readonly BatchHttp _http;

    /// <param name="endpoint">The API root the chat calls use (https://api.anthropic.com).</param>
    public AnthropicBatchApi(string endpoint, string key, SdkWire wire, TimeSpan timeout)
    {
        _root = new Uri(endpoint.TrimEnd('/') + "/");
        _batches = new Uri(_root, "v1/messages/batches").ToString();
        _wire = wire;
        _http = new BatchHttp(
            h =>
            {
                h.Add("x-api-key", key);
                h.Add("anthropic-version", ApiVersion);
            },
            timeout
        );
    }

    public Task<JsonObject> RequestAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        _wire.RequestAsync(messages, options, cancellationToken);

    public Task<ChatResponse> ReplyAsync(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        string reply,
        CancellationToken cancellationToken
    ) => _wire.ReplyAsync(messages, options, reply, cancellationToken);

    public async Task<BatchStatus> SubmitAsync(IReadOnlyList<BatchLine> lines, CancellationToken cancellationToken)
    {
        var requests = new JsonArray(
            lines.Select(l => (JsonNode)new JsonObject { ["custom_id"] = l.CustomId, ["params"] = l.Body.DeepClone() }).ToArray()
        );
        cancellationToken.ThrowIfCancellationRequested();
        // The requests travel with the creation itself: once sent, it is waited for.
        return Read(
            await _http
                .JsonAsync(
                    HttpMethod.Post,
                    _batches,
                    BatchHttp.Json(new JsonObject { ["requests"] = requests }),
                    CancellationToken.None,
                    transfer: true
                )
                .ConfigureAwait(false)
        );
    }

    public async Task<BatchStatus> StatusAsync(string batchId, CancellationToken cancellationToken) =>
        Read(
            await _http
                .JsonAsync(HttpMethod.Get, _batches + "/" + Uri.EscapeDataString(batchId), null, cancellationToken)
                .ConfigureAwait(false)
        );

    public async Task<IReadOnlyList<BatchLineResult>> ResultsAsync(BatchStatus status, CancellationToken cancellationToken)
    {
        var results = new List<BatchLineResult>();
        foreach (var url in status.ResultSources)
        {
            var text = await _http.TextAsync(HttpMethod.Get, url, null, cancellationToken, transfer: true).ConfigureAwait(false);
            results.AddRange(BatchJson.Lines(text).Select(ReadLine).OfType<BatchLineResult>());
        }
        return results;
    }

    public void Dispose()
    {
        _http.Dispose();
        _wire.Dispose();
    }

    private BatchStatus Read(JsonNode batch)
    {
        var id = BatchJson.Text(batch["id"]) ?? throw new InvalidDataException("the message batch has no id");
        var state = BatchJson.Text(batch["processing_status"]) ?? "unknown";
        var counts = batch["request_counts"];
        var succeeded = BatchJson.Int(counts?["succeeded"]);
        var failed = BatchJson.Int(counts?["errored"]) + BatchJson.Int(counts?["canceled"]) + BatchJson.Int(counts?["expired"]);
        var ended = state == "ended";
        return new BatchStatus(id, state, ended, succeeded + failed + BatchJson.Int(counts?["processing"]), succeeded, failed)
        {
            ResultSources = ended ? [ResultsUrl(id, BatchJson.Text(batch["results_url"]))] : [],
        };
    }

    /// <summary>
    /// The batch's results_url when it is on the API's own host (the key is sent with the request), else the
    /// documented path under the endpoint.
    /// </summary>
    private string ResultsUrl(string id, string? given) =>
        given is not null
        && Uri.TryCreate(given, UriKind.Absolute, out var u)
        && Uri.Compare(u, _root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? u.ToString()
            : _batches + "/" + Uri.EscapeDataString(id) + "/results";

    /// <summary>One results line: {custom_id, result: {type: succeeded|errored|canceled|expired, message | error}}.</summary>
    private static BatchLineResult? ReadLine(JsonNode line)
    {
        if (BatchJson.Text(line["custom_id"]) is not { } id)
            return null;
        var result = line["result"];
        var message = result?["message"];
        switch (BatchJson.Text(result?["type"]))
        {
            case "succeeded" when message is not null:
                return new BatchLineResult(id, BatchResults.Succeeded, message.ToJsonString());
            case "expired":
                return new BatchLineResult(id, BatchResults.Expired);
            case "canceled":
                return new BatchLineResult(id, BatchResults.Cancelled);
            default:
                // errored: {"type": "error", "error": {"type": "invalid_request_error", "message": "..."}}
                var error = result?["error"]?["error"] ?? result?["error"];
                var type = BatchJson.Text(error?["type"]);
                return new BatchLineResult(
                    id,
                    BatchResults.Errored,
                    Status: BatchJson.StatusOfErrorType(type),
                    Error: BatchJson.Text(error?["message"]) ?? type ?? "the request failed inside the batch"
                );
        }
    }
}
