using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Adaem.Tests.Providers;

/// <summary>One request the stub received.</summary>
/// <param name="Number">1-based order of arrival over all requests.</param>
/// <param name="Prompt">Text of the last user message (chat) or the first input (embeddings).</param>
/// <param name="PromptCount">How many times this prompt has arrived, this one included.</param>
public sealed record StubRequest(
    int Number,
    string Path,
    string Prompt,
    int PromptCount,
    JsonNode? Body,
    string RawBody,
    string? Authorization
)
{
    public bool IsEmbeddings => Path.EndsWith("/embeddings", StringComparison.Ordinal);

    /// <summary>Ollama's native chat API.</summary>
    public bool IsOllamaChat => Path == "/api/chat";

    /// <summary>Anthropic's Messages API.</summary>
    public bool IsAnthropic => Path == "/v1/messages";

    /// <summary>Every request header (names case-insensitive; repeated headers joined with commas).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The texts of an embeddings request.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>The query string of the request URL, with its '?' ("" when there is none).</summary>
    public string Query { get; init; } = "";

    /// <summary>The HTTP method (GET, POST).</summary>
    public string Method { get; init; } = "POST";
}

/// <summary>What the stub answers: a status, a body, headers, and optionally a wait first.</summary>
public sealed record StubReply
{
    public int Status { get; init; } = 200;
    public string? Body { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public TimeSpan Delay { get; init; }
    public string ContentType { get; init; } = "application/json";

    /// <summary>When set, the reply waits for this task (or for the client to go away) before answering.</summary>
    public Task? Gate { get; init; }

    public static StubReply Chat(string text, int promptTokens = 10, int completionTokens = 5) =>
        new()
        {
            Body = new JsonObject
            {
                ["id"] = "chatcmpl-stub",
                ["object"] = "chat.completion",
                ["created"] = 1700000000,
                ["model"] = "stub-model",
                ["choices"] = new JsonArray(
                    new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                        ["finish_reason"] = "stop",
                    }
                ),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = promptTokens,
                    ["completion_tokens"] = completionTokens,
                    ["total_tokens"] = promptTokens + completionTokens,
                },
            }.ToJsonString(),
        };

    public static StubReply Error(int status, string message = "stub error", string type = "server_error", string? retryAfter = null) =>
        new()
        {
            Status = status,
            Body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = message,
                    ["type"] = type,
                    ["code"] = type,
                },
            }.ToJsonString(),
            Headers = RetryAfter("Retry-After", retryAfter),
        };

    public static StubReply Raw(string body, int status = 200) => new() { Status = status, Body = body };

    /// <summary>The retry header under the provider's own spelling of its name, or no header.</summary>
    private static Dictionary<string, string> RetryAfter(string header, string? seconds) =>
        seconds is null ? [] : new Dictionary<string, string> { [header] = seconds };

    /// <summary>
    /// Ollama's native /api/chat reply. Non-streaming: one JSON object. Streaming (the request's "stream"
    /// is true or absent): NDJSON, the text split over chunks and the last line carrying done and the counts.
    /// </summary>
    public static StubReply Ollama(string text, bool stream, int promptTokens = 10, int completionTokens = 5, string model = "stub-model")
    {
        JsonObject Line(string content, bool done)
        {
            var o = new JsonObject
            {
                ["model"] = model,
                ["created_at"] = "2025-01-01T00:00:00Z",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["done"] = done,
            };
            if (!done)
                return o;
            o["done_reason"] = "stop";
            o["total_duration"] = 1000000;
            o["load_duration"] = 1000;
            o["prompt_eval_count"] = promptTokens;
            o["prompt_eval_duration"] = 1000;
            o["eval_count"] = completionTokens;
            o["eval_duration"] = 1000;
            return o;
        }
        if (!stream)
            return new StubReply { Body = Line(text, done: true).ToJsonString() };
        var half = text.Length / 2;
        var lines = new[] { Line(text[..half], false), Line(text[half..], false), Line("", true) };
        return new StubReply { Body = string.Concat(lines.Select(l => l.ToJsonString() + "\n")), ContentType = "application/x-ndjson" };
    }

    /// <summary>Ollama's error shape: {"error": "..."} with the status.</summary>
    public static StubReply OllamaError(int status, string message, string? retryAfter = null) =>
        new()
        {
            Status = status,
            Body = new JsonObject { ["error"] = message }.ToJsonString(),
            Headers = RetryAfter("Retry-After", retryAfter),
        };

    /// <summary>An Anthropic Messages API reply: one text block, stop_reason end_turn, usage in input/output tokens.</summary>
    public static StubReply Anthropic(string text, int inputTokens = 10, int outputTokens = 5, string model = "stub-model") =>
        new()
        {
            Body = new JsonObject
            {
                ["id"] = "msg_stub",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
                ["stop_reason"] = "end_turn",
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = inputTokens, ["output_tokens"] = outputTokens },
            }.ToJsonString(),
        };

    /// <summary>Anthropic's error shape: {"type":"error","error":{"type":..., "message":...}}.</summary>
    public static StubReply AnthropicError(int status, string type, string message, string? retryAfter = null) =>
        new()
        {
            Status = status,
            Body = new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
            }.ToJsonString(),
            Headers = RetryAfter("retry-after", retryAfter),
        };

    public static StubReply EmptyChoices() =>
        new()
        {
            Body =
                """{"id":"chatcmpl-stub","object":"chat.completion","created":1700000000,"model":"stub-model","choices":[],"usage":"""
                + """{"prompt_tokens":3,"completion_tokens":0,"total_tokens":3}}""",
        };

    public static StubReply Embeddings(IReadOnlyList<string> inputs)
    {
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = new JsonArray(OpenAIStub.VectorOf(inputs[i]).Select(v => (JsonNode)v).ToArray());
            data.Add(
                new JsonObject
                {
                    ["object"] = "embedding",
                    ["index"] = i,
                    ["embedding"] = vector,
                }
            );
        }
        var tokens = inputs.Sum(t => t.Length / 4 + 1);
        return new StubReply
        {
            Body = new JsonObject
            {
                ["object"] = "list",
                ["data"] = data,
                ["model"] = "stub-embed",
                ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
            }.ToJsonString(),
        };
    }
}

/// <summary>
/// A loopback OpenAI-compatible server (HttpListener on 127.0.0.1, a free port) for tests and benchmarks:
/// /v1/chat/completions and /v1/embeddings over real HTTP, answering each request as the script says.
/// It counts requests overall and per prompt, and lets callers wait until it has seen N requests.
/// Its listener is a <see cref="LoopbackListener"/>.
/// </summary>
public sealed class OpenAIStub : IAsyncDisposable
{
    private readonly LoopbackListener _http;
    private readonly ConcurrentDictionary<string, int> _byPrompt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<StubRequest> _requests = new();
    private readonly List<(int Count, TaskCompletionSource Seen)> _waiters = [];
    private readonly Lock _lock = new();
    private int _count;
    private int _inFlight;
    private int _maxInFlight;

    private OpenAIStub(CancellationToken cancellationToken)
    {
        _http = LoopbackListener.Start(HandleAsync, cancellationToken);
        BaseUrl = new Uri($"http://127.0.0.1:{_http.Port}/v1/");
    }

    /// <summary>Decides the reply to each request. Default: a deterministic answer derived from the prompt.</summary>
    public Func<StubRequest, StubReply> Script { get; set; } = Default;

    /// <summary>
    /// The normal answer in the wire format of the path: embeddings for /embeddings, Ollama's /api/chat
    /// (streamed as NDJSON unless the request said "stream": false, as Ollama does), Anthropic's
    /// /v1/messages, else an OpenAI chat completion; the text is derived from the prompt.
    /// </summary>
    public static StubReply Default(StubRequest r) =>
        r.IsEmbeddings ? StubReply.Embeddings(r.Inputs)
        : r.IsOllamaChat ? StubReply.Ollama(AnswerTo(r.Prompt), stream: r.Body?["stream"]?.GetValue<bool>() ?? true)
        : r.IsAnthropic ? StubReply.Anthropic(AnswerTo(r.Prompt))
        : StubReply.Chat(AnswerTo(r.Prompt));

    /// <summary>Added before every reply (the benchmark's model latency).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The OpenAI-style base, http://127.0.0.1:port/v1/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The server root, http://127.0.0.1:port (Ollama, Anthropic and Azure add their own paths).</summary>
    public string Root => BaseUrl.GetLeftPart(UriPartial.Authority);
    public int Count => Volatile.Read(ref _count);
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public IReadOnlyCollection<StubRequest> Requests => _requests.ToArray();

    public int CountOf(string prompt) => _byPrompt.TryGetValue(prompt, out var n) ? n : 0;

    public IReadOnlyDictionary<string, int> CountsByPrompt => new Dictionary<string, int>(_byPrompt);

    /// <summary>The stub's default answer to a prompt; deterministic so runs can be compared.</summary>
    public static string AnswerTo(string prompt) =>
        "answer " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..12] + " to: " + prompt;

    public static float[] VectorOf(string text)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Enumerable.Range(0, 8).Select(i => (h[i] - 128) / 128f).ToArray();
    }

    public static Task<OpenAIStub> StartAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new OpenAIStub(cancellationToken));

    /// <summary>Completes when the stub has received at least <paramref name="count"/> requests.</summary>
    public Task WaitForRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_count >= count)
                return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            return tcs.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (connection refused).</summary>
    public static int ClosedPort() => LoopbackListener.ClosedPort();

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private async Task HandleAsync(HttpListenerContext http)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        var ct = _http.Stopping;
        try
        {
            int seen;
            lock (_lock)
            {
                seen = ++_count;
                if (inFlight > _maxInFlight)
                    _maxInFlight = inFlight;
            }
            string raw;
            using (var reader = new StreamReader(http.Request.InputStream, Encoding.UTF8))
                raw = await reader.ReadToEndAsync(ct);
            JsonNode? body = null;
            try
            {
                body = JsonNode.Parse(raw);
            }
            catch (System.Text.Json.JsonException) { }
            var path = http.Request.Url?.AbsolutePath ?? "";
            var embeddings = path.EndsWith("/embeddings", StringComparison.Ordinal);
            var inputs = embeddings ? Inputs(body) : [];
            var prompt = embeddings ? inputs.FirstOrDefault() ?? "" : LastUserText(body);
            var promptCount = _byPrompt.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in http.Request.Headers.AllKeys)
            {
                if (name is not null)
                    headers[name] = http.Request.Headers[name] ?? "";
            }
            var request = new StubRequest(seen, path, prompt, promptCount, body, raw, http.Request.Headers["Authorization"])
            {
                Inputs = inputs,
                Headers = headers,
                Query = http.Request.Url?.Query ?? "",
                Method = http.Request.HttpMethod,
            };
            _requests.Enqueue(request);
            ReleaseWaiters(seen);

            var reply = Script(request);
            var wait = Latency + reply.Delay;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, ct);
            if (reply.Gate is { } gate)
                await gate.WaitAsync(ct);

            http.Response.StatusCode = reply.Status;
            foreach (var (k, v) in reply.Headers)
                http.Response.Headers[k] = v;
            http.Response.ContentType = reply.ContentType;
            var bytes = Encoding.UTF8.GetBytes(reply.Body ?? "");
            http.Response.ContentLength64 = bytes.Length;
            await http.Response.OutputStream.WriteAsync(bytes, ct);
            http.Response.Close();
        }
        catch (Exception e)
            when (e
                    is OperationCanceledException
                        or HttpListenerException
                        or IOException
                        or ObjectDisposedException
                        or InvalidOperationException
            )
        {
            // The client went away (a timeout, a killed process) or the stub is stopping: nothing to answer.
            try
            {
                http.Response.Abort();
            }
            catch (ObjectDisposedException) { }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void ReleaseWaiters(int seen)
    {
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= seen)
                {
                    _waiters[i].Seen.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The text of the last user message of a chat body (OpenAI's or Anthropic's messages).</summary>
    public static string LastUserText(JsonNode? body)
    {
        if (body?["messages"] is not JsonArray messages)
            return "";
        foreach (var m in messages.Reverse())
        {
            if (m?["role"]?.GetValue<string>() != "user")
                continue;
            return m["content"] switch
            {
                JsonValue v => v.GetValue<string>(),
                JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
                _ => "",
            };
        }
        return "";
    }

    private static List<string> Inputs(JsonNode? body) =>
        body?["input"] switch
        {
            JsonValue v => [v.GetValue<string>()],
            JsonArray a => a.Select(x => x?.GetValue<string>() ?? "").ToList(),
            _ => [],
        };
}
