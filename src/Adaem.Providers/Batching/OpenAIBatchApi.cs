using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Batching;

/// <summary>
/// OpenAI's Batch API, and Azure OpenAI's (the same API under the resource's /openai/v1/): the requests are a
/// JSONL file uploaded with purpose "batch" (one line per request: custom_id, method, url, body), a batch is
/// created on it with a 24 h window, looked at until it has ended, and its output and error files hold one
/// line per request (response.status_code and body, or error).
/// </summary>
internal sealed class OpenAIBatchApi : IBatchApi
{
    private readonly string _endpoint;
    private readonly string _url;
    private readonly SdkWire _wire;
    private readonly BatchHttp _http;

    /// <param name="endpoint">The API base the chat calls use (…/v1 for OpenAI, …/openai/v1 for Azure).</param>
    /// <param name="azure">Azure names the chat endpoint /chat/completions in a batch and takes the key as api-key too.</param>
    public OpenAIBatchApi(string endpoint, string key, bool azure, SdkWire wire, TimeSpan timeout)
    {
        _endpoint = endpoint.TrimEnd('/') + "/";
        _url = azure ? "/chat/completions" : "/v1/chat/completions";
        _wire = wire;
        _http = new BatchHttp(
            h =>
            {
                h.Authorization = new AuthenticationHeaderValue("Bearer", key);
                if (azure)
                    h.Add("api-key", key);
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
        var jsonl = new StringBuilder();
        foreach (var line in lines)
        {
            jsonl
                .Append(
                    new JsonObject
                    {
                        ["custom_id"] = line.CustomId,
                        ["method"] = "POST",
                        ["url"] = _url,
                        ["body"] = line.Body.DeepClone(),
                    }.ToJsonString()
                )
                .Append('\n');
        }
        using var form = new MultipartFormDataContent();
        form.Add(Part(new StringContent("batch"), "purpose"));
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(Part(file, "file", "adaem-batch.jsonl"));
        var uploaded = await _http
            .JsonAsync(HttpMethod.Post, _endpoint + "files", form, cancellationToken, transfer: true)
            .ConfigureAwait(false);
        var fileId = BatchJson.Text(uploaded["id"]) ?? throw new InvalidDataException("the file upload answered without an id");

        cancellationToken.ThrowIfCancellationRequested();
        var created = await _http
            .JsonAsync(
                HttpMethod.Post,
                _endpoint + "batches",
                BatchHttp.Json(
                    new JsonObject
                    {
                        ["input_file_id"] = fileId,
                        ["endpoint"] = _url,
                        ["completion_window"] = "24h",
                    }
                ),
                CancellationToken.None
            )
            .ConfigureAwait(false);
        return Read(created);
    }

    public async Task<BatchStatus> StatusAsync(string batchId, CancellationToken cancellationToken) =>
        Read(
            await _http
                .JsonAsync(HttpMethod.Get, _endpoint + "batches/" + Uri.EscapeDataString(batchId), null, cancellationToken)
                .ConfigureAwait(false)
        );

    public async Task<IReadOnlyList<BatchLineResult>> ResultsAsync(BatchStatus status, CancellationToken cancellationToken)
    {
        var results = new List<BatchLineResult>();
        foreach (var fileId in status.ResultSources)
        {
            var text = await _http
                .TextAsync(
                    HttpMethod.Get,
                    _endpoint + "files/" + Uri.EscapeDataString(fileId) + "/content",
                    null,
                    cancellationToken,
                    transfer: true
                )
                .ConfigureAwait(false);
            results.AddRange(BatchJson.Lines(text).Select(ReadLine).OfType<BatchLineResult>());
        }
        return results;
    }

    public void Dispose()
    {
        _http.Dispose();
        _wire.Dispose();
    }

    /// <summary>A form field with its name quoted, as the API's multipart parser expects.</summary>
    private static HttpContent Part(HttpContent content, string name, string? fileName = null)
    {
        content.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = $"\"{name}\"",
            FileName = fileName is null ? null : $"\"{fileName}\"",
        };
        return content;
    }

    private static BatchStatus Read(JsonNode batch)
    {
        var state = BatchJson.Text(batch["status"]) ?? "unknown";
        var counts = batch["request_counts"];
        var failure =
            state == "failed"
                ? string.Join(
                    "; ",
                    (batch["errors"]?["data"] as JsonArray ?? [])
                        .Select(e => BatchJson.Text(e?["message"]) ?? BatchJson.Text(e?["code"]) ?? "")
                        .Where(m => m.Length > 0)
                )
                : null;
        return new BatchStatus(
            BatchJson.Text(batch["id"]) ?? throw new InvalidDataException("the batch has no id"),
            state,
            state is "completed" or "failed" or "expired" or "cancelled",
            BatchJson.Int(counts?["total"]),
            BatchJson.Int(counts?["completed"]),
            BatchJson.Int(counts?["failed"])
        )
        {
            Failure =
                failure is null ? null
                : failure.Length > 0 ? failure
                : "the batch failed validation",
            ResultSources = new[] { BatchJson.Text(batch["output_file_id"]), BatchJson.Text(batch["error_file_id"]) }
                .OfType<string>()
                .ToList(),
        };
    }

    /// <summary>One line of an output or error file: a reply with its status, or an error (expired and cancelled requests have their own
    /// codes).</summary>
    private static BatchLineResult? ReadLine(JsonNode line)
    {
        if (BatchJson.Text(line["custom_id"]) is not { } id)
            return null;
        var response = line["response"];
        var status = BatchJson.Int(response?["status_code"]);
        var body = response?["body"];
        if (status == 200 && body is not null)
            return new BatchLineResult(id, BatchResults.Succeeded, body.ToJsonString(), null);
        var code = BatchJson.Text(line["error"]?["code"]);
        var message =
            BatchJson.Text(body?["error"]?["message"])
            ?? BatchJson.Text(line["error"]?["message"])
            ?? code
            ?? "the request failed inside the batch";
        return code switch
        {
            "batch_expired" => new BatchLineResult(id, BatchResults.Expired),
            "batch_cancelled" => new BatchLineResult(id, BatchResults.Cancelled),
            _ => new BatchLineResult(id, BatchResults.Errored, Status: status > 0 ? status : null, Error: message),
        };
    }
}
