using System.Text;
using System.Text.Json.Nodes;

namespace Adaem.Tests.Providers;

/// <summary>One request inside a batch the stub received.</summary>
/// <param name="Url">The line's url (OpenAI's format only: /v1/chat/completions, or Azure's /chat/completions).</param>
/// <param name="PromptCount">How many batches so far have carried this prompt, this one included.</param>
public sealed record StubBatchRequest(string CustomId, JsonObject Body, string Prompt, int PromptCount, string? Url);

/// <summary>What an ended batch says of one request.</summary>
public sealed record StubBatchAnswer
{
    public string Kind { get; private init; } = "succeeded";
    public string Text { get; private init; } = "";
    public int Status { get; private init; }
    public string Message { get; private init; } = "";
    public int InputTokens { get; private init; } = 10;
    public int OutputTokens { get; private init; } = 5;

    public static StubBatchAnswer Succeeded(string text, int inputTokens = 10, int outputTokens = 5) =>
        new()
        {
            Text = text,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
        };

    /// <summary>A succeeded request whose reply holds no message (OpenAI: empty choices; Anthropic: empty content).</summary>
    public static StubBatchAnswer Empty { get; } = new() { IsEmpty = true };

    /// <summary>A succeeded request whose results line is cut off mid-way (not JSON).</summary>
    public static StubBatchAnswer Broken(string text) => new() { Text = text, IsBroken = true };

    public bool IsEmpty { get; private init; }
    public bool IsBroken { get; private init; }

    /// <summary>The provider refused or failed this request (HTTP status and message; Anthropic's error type follows the status).</summary>
    public static StubBatchAnswer Errored(int status, string message) =>
        new()
        {
            Kind = "errored",
            Status = status,
            Message = message,
        };

    /// <summary>The batch's window ran out before this request; the batch ends expired.</summary>
    public static StubBatchAnswer Expired { get; } = new() { Kind = "expired" };

    /// <summary>Someone cancelled the batch before this request; the batch ends cancelled.</summary>
    public static StubBatchAnswer Cancelled { get; } = new() { Kind = "cancelled" };
}

/// <summary>A batch as the stub keeps it.</summary>
public sealed class StubBatch
{
    public required string Id { get; init; }

    /// <summary>"openai" (OpenAI's and Azure's file-based API) or "anthropic" (Message Batches).</summary>
    public required string Format { get; init; }
    public required IReadOnlyList<StubBatchRequest> Requests { get; init; }

    /// <summary>The endpoint of OpenAI's create call (/v1/chat/completions or /chat/completions).</summary>
    public string? Endpoint { get; init; }
    public int Polls { get; internal set; }

    /// <summary>Set when the batch has ended: the outcome of each request, by custom id.</summary>
    public IReadOnlyDictionary<string, StubBatchAnswer>? Answers { get; internal set; }
}

/// <summary>
/// The batch APIs of OpenAI (and Azure OpenAI under /openai/v1/) and Anthropic on top of the loopback
/// <see cref="OpenAIStub"/>: file upload (multipart, purpose batch), batch creation, looks at a batch, results
/// (output and error files; Anthropic's results_url) in each provider's wire format. A batch stays in progress
/// while <see cref="Hold"/> is set and ends at the first look after that, its requests answered by
/// <see cref="Answer"/>; a batch with an expired or cancelled request ends expired or cancelled. Everything
/// else (direct chat calls) goes to <see cref="Direct"/>.
/// </summary>
public sealed class BatchStub
{
    private readonly OpenAIStub _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StubBatch> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _prompts = new(StringComparer.Ordinal);
    private readonly List<StubBatch> _created = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];
    private volatile bool _hold;
    private int _uploads;
    private int _resultReads;

    public BatchStub(OpenAIStub server)
    {
        _server = server;
        server.Script = Handle;
    }

    /// <summary>Answers each request of an ending batch; by default the stub's deterministic answer to its prompt.</summary>
    public Func<StubBatchRequest, StubBatchAnswer> Answer { get; set; } = r => StubBatchAnswer.Succeeded(OpenAIStub.AnswerTo(r.Prompt));

    /// <summary>Answers everything that is not a batch call (direct chat calls).</summary>
    public Func<StubRequest, StubReply> Direct { get; set; } = OpenAIStub.Default;

    /// <summary>When set, every look at a batch gets this HTTP status instead (e.g. 404: a key of another project).</summary>
    public int? RefuseLooks { get; set; }

    /// <summary>While set, every batch stays in progress (a look sees it running).</summary>
    public bool Hold
    {
        get => _hold;
        set => _hold = value;
    }

    public IReadOnlyList<StubBatch> Batches
    {
        get
        {
            lock (_gate)
                return _created.ToList();
        }
    }

    public int Uploads => Volatile.Read(ref _uploads);
    public int ResultReads => Volatile.Read(ref _resultReads);

    /// <summary>Direct chat calls the server answered (not batch calls).</summary>
    public int DirectCalls => _server.Requests.Count(r => r.IsAnthropic || r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));

    /// <summary>Completes once <paramref name="count"/> batches have been created.</summary>
    public Task WaitForBatchesAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_created.Count >= count)
                return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            return tcs.Task.WaitAsync(cancellationToken);
        }
    }

    private StubReply Handle(StubRequest r)
    {
        var path = r.Path;
        var anthropic = path.Contains("/messages/batches", StringComparison.Ordinal);
        var method = r.Method;
        if (anthropic)
        {
            var rest = path[(path.IndexOf("/messages/batches", StringComparison.Ordinal) + "/messages/batches".Length)..].Trim('/');
            if (method == "POST" && rest.Length == 0)
                return Json(Describe(CreateAnthropic(r)));
            var parts = rest.Split('/');
            if (RefuseLooks is { } refused && parts.Length == 1)
                return StubReply.AnthropicError(refused, refused == 404 ? "not_found_error" : "permission_error", "look refused");
            var batch = Find(parts[0]);
            if (batch is null)
                return StubReply.AnthropicError(404, "not_found_error", "no such batch");
            if (parts.Length == 2 && parts[1] == "results")
                return Results(batch);
            return Json(Describe(Look(batch)));
        }
        if (method == "POST" && path.EndsWith("/files", StringComparison.Ordinal))
            return Json(Upload(r));
        if (method == "GET" && path.EndsWith("/content", StringComparison.Ordinal) && path.Contains("/files/", StringComparison.Ordinal))
        {
            var id = path.Split('/')[^2];
            lock (_gate)
                return _files.TryGetValue(id, out var text)
                    ? new StubReply { Body = text, ContentType = "application/octet-stream" }
                    : StubReply.Error(404, "no such file", "not_found");
        }
        if (method == "POST" && path.EndsWith("/batches", StringComparison.Ordinal))
            return CreateOpenAI(r);
        if (path.Contains("/batches/", StringComparison.Ordinal))
        {
            if (RefuseLooks is { } refused)
                return StubReply.Error(refused, "look refused", refused == 404 ? "not_found" : "permission_denied");
            var batch = Find(path.Split('/')[^1]);
            return batch is null ? StubReply.Error(404, "no such batch", "not_found") : Json(Describe(Look(batch)));
        }
        return Direct(r);
    }

    private StubBatch? Find(string id)
    {
        lock (_gate)
            return _batches.GetValueOrDefault(id);
    }

    /// <summary>A look at a batch: it ends (its answers fixed) at the first look while not held.</summary>
    private StubBatch Look(StubBatch batch)
    {
        lock (_gate)
        {
            batch.Polls++;
            if (!_hold && batch.Answers is null)
                batch.Answers = batch.Requests.ToDictionary(q => q.CustomId, Answer, StringComparer.Ordinal);
            return batch;
        }
    }

    private JsonObject Upload(StubRequest r)
    {
        var content = FilePart(r.RawBody, r.Header("Content-Type") ?? "");
        var id = $"file-{_prefix}-{Interlocked.Increment(ref _uploads)}";
        lock (_gate)
            _files[id] = content;
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "file",
            ["purpose"] = "batch",
            ["bytes"] = Encoding.UTF8.GetByteCount(content),
            ["filename"] = "input.jsonl",
        };
    }

    private StubReply CreateOpenAI(StubRequest r)
    {
        var fileId = r.Body?["input_file_id"]?.GetValue<string>() ?? "";
        string? text;
        lock (_gate)
            text = _files.GetValueOrDefault(fileId);
        if (text is null)
            return StubReply.Error(400, "no such input file", "invalid_request_error");
        var requests = text.Split('\n')
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonNode.Parse(l)!)
            .Select(l => Request(l["custom_id"]!.GetValue<string>(), (JsonObject)l["body"]!, l["url"]?.GetValue<string>()))
            .ToList();
        return Json(
            Describe(
                Add(
                    new StubBatch
                    {
                        Id = $"batch_{_prefix}_{Batches.Count + 1}",
                        Format = "openai",
                        Requests = requests,
                        Endpoint = r.Body?["endpoint"]?.GetValue<string>(),
                    }
                )
            )
        );
    }

    private StubBatch CreateAnthropic(StubRequest r)
    {
        var requests = (r.Body?["requests"] as JsonArray ?? [])
            .Select(q => Request(q!["custom_id"]!.GetValue<string>(), (JsonObject)q["params"]!, null))
            .ToList();
        return Add(
            new StubBatch
            {
                Id = $"msgbatch_{_prefix}_{Batches.Count + 1}",
                Format = "anthropic",
                Requests = requests,
            }
        );
    }

    private StubBatchRequest Request(string customId, JsonObject body, string? url)
    {
        var prompt = OpenAIStub.LastUserText(body);
        int count;
        lock (_gate)
            count = _prompts[prompt] = _prompts.GetValueOrDefault(prompt) + 1;
        return new StubBatchRequest(customId, (JsonObject)body.DeepClone(), prompt, count, url);
    }

    private StubBatch Add(StubBatch batch)
    {
        lock (_gate)
        {
            _batches[batch.Id] = batch;
            _created.Add(batch);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_created.Count < _waiters[i].Count)
                    continue;
                _waiters[i].Reached.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
        return batch;
    }

    private JsonObject Describe(StubBatch b)
    {
        var answers = b.Answers;
        int Count(string kind) => answers?.Values.Count(a => a.Kind == kind) ?? 0;
        var ended = answers is not null;
        if (b.Format == "anthropic")
        {
            return new JsonObject
            {
                ["id"] = b.Id,
                ["type"] = "message_batch",
                ["processing_status"] = ended ? "ended" : "in_progress",
                ["request_counts"] = new JsonObject
                {
                    ["processing"] = ended ? 0 : b.Requests.Count,
                    ["succeeded"] = Count("succeeded"),
                    ["errored"] = Count("errored"),
                    ["canceled"] = Count("cancelled"),
                    ["expired"] = Count("expired"),
                },
                ["created_at"] = "2026-01-01T00:00:00Z",
                ["expires_at"] = "2026-01-02T00:00:00Z",
                ["results_url"] = ended ? $"{_server.Root}/v1/messages/batches/{b.Id}/results" : null,
            };
        }
        var state =
            !ended ? "in_progress"
            : Count("expired") > 0 ? "expired"
            : Count("cancelled") > 0 ? "cancelled"
            : "completed";
        string? output = null,
            errors = null;
        if (ended)
        {
            output =
                Count("succeeded") > 0
                    ? FileOf(b.Id + "-output", b.Requests.Where(q => answers![q.CustomId].Kind == "succeeded"), answers!)
                    : null;
            errors =
                Count("succeeded") < b.Requests.Count
                    ? FileOf(b.Id + "-errors", b.Requests.Where(q => answers![q.CustomId].Kind != "succeeded"), answers!)
                    : null;
        }
        return new JsonObject
        {
            ["id"] = b.Id,
            ["object"] = "batch",
            ["endpoint"] = b.Endpoint,
            ["status"] = state,
            ["completion_window"] = "24h",
            ["created_at"] = 1767225600,
            ["output_file_id"] = output,
            ["error_file_id"] = errors,
            ["request_counts"] = new JsonObject
            {
                ["total"] = b.Requests.Count,
                ["completed"] = ended ? Count("succeeded") : 0,
                ["failed"] = ended ? b.Requests.Count - Count("succeeded") : 0,
            },
        };
    }

    /// <summary>An OpenAI output or error file: one line per request.</summary>
    private string FileOf(string id, IEnumerable<StubBatchRequest> requests, IReadOnlyDictionary<string, StubBatchAnswer> answers)
    {
        var text = new StringBuilder();
        foreach (var q in requests)
        {
            var a = answers[q.CustomId];
            var line = new JsonObject { ["id"] = "batch_req_" + q.CustomId[..8], ["custom_id"] = q.CustomId };
            switch (a.Kind)
            {
                case "succeeded":
                    line["response"] = new JsonObject
                    {
                        ["status_code"] = 200,
                        ["request_id"] = "req_1",
                        ["body"] = JsonNode.Parse(
                            a.IsEmpty ? StubReply.EmptyChoices().Body! : StubReply.Chat(a.Text, a.InputTokens, a.OutputTokens).Body!
                        ),
                    };
                    line["error"] = null;
                    break;
                case "errored":
                    line["response"] = new JsonObject
                    {
                        ["status_code"] = a.Status,
                        ["request_id"] = "req_1",
                        ["body"] = new JsonObject
                        {
                            ["error"] = new JsonObject { ["message"] = a.Message, ["type"] = "invalid_request_error" },
                        },
                    };
                    line["error"] = null;
                    break;
                default:
                    line["response"] = null;
                    line["error"] = new JsonObject
                    {
                        ["code"] = a.Kind == "expired" ? "batch_expired" : "batch_cancelled",
                        ["message"] =
                            a.Kind == "expired"
                                ? "This request could not be executed before the completion window expired."
                                : "This request was cancelled.",
                    };
                    break;
            }
            text.Append(Cut(line.ToJsonString(), a)).Append('\n');
        }
        lock (_gate)
            _files[id] = text.ToString();
        return id;
    }

    /// <summary>Anthropic's results: JSONL, one line per request, in no particular order (here: reversed).</summary>
    private StubReply Results(StubBatch b)
    {
        if (b.Answers is not { } answers)
            return StubReply.AnthropicError(400, "invalid_request_error", "the batch has not ended");
        Interlocked.Increment(ref _resultReads);
        var text = new StringBuilder();
        foreach (var q in b.Requests.Reverse())
        {
            var a = answers[q.CustomId];
            JsonObject result = a.Kind switch
            {
                "succeeded" => new JsonObject { ["type"] = "succeeded", ["message"] = Message(a) },
                "errored" => new JsonObject
                {
                    ["type"] = "errored",
                    ["error"] = new JsonObject
                    {
                        ["type"] = "error",
                        ["error"] = new JsonObject { ["type"] = ErrorType(a.Status), ["message"] = a.Message },
                    },
                },
                "expired" => new JsonObject { ["type"] = "expired" },
                _ => new JsonObject { ["type"] = "canceled" },
            };
            text.Append(Cut(new JsonObject { ["custom_id"] = q.CustomId, ["result"] = result }.ToJsonString(), a)).Append('\n');
        }
        return new StubReply { Body = text.ToString(), ContentType = "application/binary" };
    }

    /// <summary>An Anthropic message for a succeeded request; with no content blocks for <see cref="StubBatchAnswer.Empty"/>.</summary>
    private static JsonNode Message(StubBatchAnswer a)
    {
        var message = JsonNode.Parse(StubReply.Anthropic(a.Text, a.InputTokens, a.OutputTokens).Body!)!;
        if (a.IsEmpty)
            message["content"] = new JsonArray();
        return message;
    }

    /// <summary>A results line, cut off in the middle for <see cref="StubBatchAnswer.Broken"/>.</summary>
    private static string Cut(string line, StubBatchAnswer a) => a.IsBroken ? line[..(line.Length / 2)] : line;

    private static string ErrorType(int status) =>
        status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            429 => "rate_limit_error",
            529 => "overloaded_error",
            _ => "api_error",
        };

    private static StubReply Json(JsonObject body) => new() { Body = body.ToJsonString() };

    /// <summary>The content of the multipart part named "file".</summary>
    private static string FilePart(string raw, string contentType)
    {
        var boundary =
            contentType
                .Split(';')
                .Select(p => p.Trim())
                .FirstOrDefault(p => p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
                ?["boundary=".Length..].Trim('"')
            ?? throw new InvalidOperationException("the upload is not multipart");
        foreach (var part in raw.Split("--" + boundary))
        {
            var head = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (head < 0 || !part[..head].Contains("name=\"file\"", StringComparison.Ordinal))
                continue;
            var body = part[(head + 4)..];
            return body.EndsWith("\r\n", StringComparison.Ordinal) ? body[..^2] : body;
        }
        throw new InvalidOperationException("the upload has no part named \"file\"");
    }
}
