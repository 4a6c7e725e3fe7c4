using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Errors;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>
/// The ollama, anthropic and azure-openai providers over real HTTP, through the whole engine (ModelPool),
/// against the loopback stub speaking each one's wire format: Ollama's native /api/chat, Anthropic's
/// /v1/messages, Azure OpenAI's v1 API. What goes out (path, headers, body), what comes back (text,
/// usage), the cache, the key, and the engine's single retry layer.
/// </summary>
public sealed class ProviderWireTests
{
    private const string Key = "sk-wire-7f3a9c1e5b2d4086ae11";
    private const string KeyVariable = "WIRE_TEST_KEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> All => ["ollama", "anthropic", "azure-openai"];
    public static TheoryData<string> Keyed => ["anthropic", "azure-openai"];

    private static bool NeedsKey(string provider) => provider != "ollama";

    private static Task<EngineHarness> Start(string provider, string options = "max_retries: 3") =>
        EngineHarness.StartAsync(
            options
                + (NeedsKey(provider) ? $", api_key_env: {KeyVariable}" : "")
                + (provider == "azure-openai" ? ", deployment: stub-deployment" : ""),
            provider: provider,
            environment: env => env[KeyVariable] = Key
        );

    private static string PathOf(string provider) =>
        provider switch
        {
            "ollama" => "/api/chat",
            "anthropic" => "/v1/messages",
            _ => "/openai/v1/chat/completions",
        };

    private static string ModelIdOf(string provider) => provider == "azure-openai" ? "stub-deployment" : "stub-model";

    private static StubReply Reply(string provider, string text, int input = 10, int output = 5) =>
        provider switch
        {
            "ollama" => StubReply.Ollama(text, stream: false, input, output),
            "anthropic" => StubReply.Anthropic(text, input, output),
            _ => StubReply.Chat(text, input, output),
        };

    private static StubReply Error(string provider, int status, string message, string? retryAfter = null) =>
        provider switch
        {
            "ollama" => StubReply.OllamaError(status, message, retryAfter),
            "anthropic" => StubReply.AnthropicError(status, status == 429 ? "rate_limit_error" : "api_error", message, retryAfter),
            _ => StubReply.Error(status, message, status == 429 ? "rate_limit_exceeded" : "server_error", retryAfter),
        };

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_call_returns_the_text_records_its_usage_and_a_repeat_is_a_cache_hit(string provider)
    {
        await using var h = await Start(provider);
        h.Stub.Script = r => Reply(provider, OpenAIStub.AnswerTo(r.Prompt), input: 17, output: 4);

        var first = await h.AskAsync("which value matters most?");
        var second = await h.AskAsync("which value matters most?");

        Assert.Equal(OpenAIStub.AnswerTo("which value matters most?"), first.Text);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(true, second.AdditionalProperties![LedgerChatClient.CachedProperty]);
        var request = Assert.Single(h.Stub.Requests);
        Assert.Equal(PathOf(provider), request.Path);
        var row = Assert.Single(h.Rows());
        Assert.Equal(provider, row.Provider);
        Assert.Equal(17, row.InputTokens);
        Assert.Equal(4, row.OutputTokens);
        Assert.Equal(first.Text, row.ResponseText);
        Assert.Null(row.Error);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task The_request_carries_the_configured_model_and_sampling_options_and_no_call_context(string provider)
    {
        await using var h = await Start(provider, "max_retries: 0, temperature: 0.3, top_p: 0.9, max_tokens: 123, seed: 7");
        var context = EngineHarness.Context() with { Fields = JsonDocument.Parse("""{"question":"field-marker-5521"}""").RootElement };

        await h.Pool.Chat("stub").GetResponseAsync([new ChatMessage(ChatRole.User, "q")], context.Apply(new ChatOptions()), Ct);

        var request = Assert.Single(h.Stub.Requests);
        var body = request.Body!;
        Assert.Equal(ModelIdOf(provider), body["model"]!.GetValue<string>());
        // The call context stays in the process: neither its keys nor the prompt's fields go on the wire.
        Assert.DoesNotContain("adaem", request.RawBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("field-marker-5521", request.RawBody, StringComparison.Ordinal);
        switch (provider)
        {
            case "ollama":
                Assert.False(body["stream"]!.GetValue<bool>()); // one JSON object back, not NDJSON
                Assert.Equal(0.3, body["options"]!["temperature"]!.GetValue<double>(), 5);
                Assert.Equal(0.9, body["options"]!["top_p"]!.GetValue<double>(), 5);
                Assert.Equal(123, body["options"]!["num_predict"]!.GetValue<int>());
                Assert.Equal(7, body["options"]!["seed"]!.GetValue<int>());
                break;
            case "anthropic":
                Assert.Equal(123, body["max_tokens"]!.GetValue<int>());
                // SDK 13.14 (API version 2026-10-21) has no sampling parameters: temperature, top_p and seed
                // are not sent (docs/providers.md says so). If an SDK update starts sending them, this fails.
                Assert.Null(body["temperature"]);
                Assert.Null(body["top_p"]);
                Assert.Null(body["seed"]);
                break;
            default:
                Assert.Equal(0.3, body["temperature"]!.GetValue<double>(), 5);
                Assert.Equal(0.9, body["top_p"]!.GetValue<double>(), 5);
                Assert.Equal(123, body["max_completion_tokens"]!.GetValue<int>());
                Assert.Equal(7, body["seed"]!.GetValue<int>());
                break;
        }
    }

    [Fact]
    public async Task Anthropic_without_max_tokens_in_the_config_allows_4096()
    {
        await using var h = await Start("anthropic", "max_retries: 0");

        await h.AskAsync("q");

        Assert.Equal(4096, Assert.Single(h.Stub.Requests).Body!["max_tokens"]!.GetValue<int>());
    }

    [Theory]
    [MemberData(nameof(Keyed))]
    public async Task The_key_comes_from_the_named_variable_goes_only_in_the_auth_headers_and_is_stored_nowhere(string provider)
    {
        await using var h = await Start(provider, "max_retries: 1");
        // The first answer is an error that echoes the key back, as providers do.
        h.Stub.Script = r =>
            r.Number == 1
                ? Error(provider, 500, $"rejected request with headers Authorization: {r.Authorization} key={Key}")
                : Reply(provider, OpenAIStub.AnswerTo(r.Prompt));

        var reply = await h.AskAsync("q");
        h.Pool.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.Equal(OpenAIStub.AnswerTo("q"), reply.Text);
        Assert.Equal(2, h.Stub.Count);
        foreach (var request in h.Stub.Requests)
        {
            Assert.DoesNotContain(Key, request.RawBody, StringComparison.Ordinal);
            // The Anthropic SDK 13.14 sends an API key as a bearer token (its documented contract); Azure's v1
            // API takes the bearer token, and the api-key header is sent as well for older gateways.
            Assert.Equal("Bearer " + Key, request.Header("Authorization"));
            if (provider == "azure-openai")
                Assert.Equal(Key, request.Header("api-key"));
            else
                Assert.False(string.IsNullOrEmpty(request.Header("anthropic-version")));
            var carrying = request
                .Headers.Where(kv => kv.Value.Contains(Key, StringComparison.Ordinal))
                .Select(kv => kv.Key.ToLowerInvariant())
                .Order()
                .ToList();
            Assert.Equal(provider == "azure-openai" ? ["api-key", "authorization"] : ["authorization"], carrying);
        }
        var rows = h.Rows();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("ServerError (HTTP 500)", rows[0].Error);
        Assert.All(rows, r => Assert.DoesNotContain(Key, r.RequestJson + r.ResponseText + r.Error, StringComparison.Ordinal));
        var needle = Encoding.UTF8.GetBytes(Key);
        foreach (var file in Directory.EnumerateFiles(h.Dir, "*", SearchOption.AllDirectories))
            Assert.True((await File.ReadAllBytesAsync(file, Ct)).AsSpan().IndexOf(needle) < 0, $"key found in {file}");
    }

    [Theory]
    [MemberData(nameof(Keyed))]
    public async Task Without_the_named_variable_the_model_is_refused_before_any_request(string provider)
    {
        await using var h = await Start(provider);
        h.Environment.Remove(KeyVariable);
        using var pool = h.NewPool();

        var e = Assert.Throws<InputException>(() => pool.Chat("stub"));

        Assert.Contains(KeyVariable, e.Message + string.Join(" ", e.Problems.Select(p => p.Message)));
        Assert.Equal(0, h.Stub.Count);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_429_with_Retry_After_is_waited_out_by_the_engine_then_answered(string provider)
    {
        await using var h = await Start(provider);
        h.Stub.Script = r =>
            r.Number == 1 ? Error(provider, 429, "slow down", retryAfter: "7") : Reply(provider, OpenAIStub.AnswerTo(r.Prompt));

        var reply = await h.AskAsync("q");

        Assert.Equal(OpenAIStub.AnswerTo("q"), reply.Text);
        Assert.Equal(2, h.Stub.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], h.Delays);
        var rows = h.Rows();
        Assert.StartsWith("RateLimited (HTTP 429)", rows[0].Error);
        Assert.Null(rows[1].Error);
        Assert.Equal(2, rows[1].Attempt);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("anthropic")]
    public async Task Concurrent_calls_each_see_only_their_own_Retry_After(string provider)
    {
        await using var h = await Start(provider, "max_retries: 1, concurrency: 4");
        var bothArrived = new TaskCompletionSource();
        // Both first attempts are held until both have arrived, so they are in flight on one client together.
        h.Stub.Script = r =>
            r.PromptCount > 1 ? Reply(provider, OpenAIStub.AnswerTo(r.Prompt))
            : r.Prompt == "a" ? Error(provider, 429, "slow down", retryAfter: "9") with { Gate = bothArrived.Task }
            : Error(provider, 503, "busy") with { Gate = bothArrived.Task };

        var a = h.AskAsync("a");
        var b = h.AskAsync("b");
        await h.Stub.WaitForRequestsAsync(2, Ct);
        bothArrived.SetResult();
        await Task.WhenAll(a, b);

        Assert.Equal(4, h.Stub.Count);
        var delays = h.Delays.Order().ToList();
        Assert.Equal(2, delays.Count);
        Assert.InRange(delays[0].TotalSeconds, 0.5, 1.0); // the 503 without Retry-After: backoff
        Assert.Equal(TimeSpan.FromSeconds(9), delays[1]); // the 429 waits what its server asked
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_500_is_asked_exactly_max_retries_plus_one_times_by_the_engine_alone(string provider)
    {
        await using var h = await Start(provider, "max_retries: 2");
        h.Stub.Script = _ => Error(provider, 500, "boom-4471");

        var e = await Assert.ThrowsAsync<ModelCallException>(() => h.AskAsync("q"));

        Assert.Equal(ModelCallFailure.ServerError, e.Failure);
        Assert.Equal(500, e.Status);
        Assert.Equal(3, e.Attempts);
        Assert.Equal(3, h.Stub.Count); // the SDK asked once per engine attempt: its own retries are off
        Assert.Equal(2, h.Delays.Count);
        var rows = h.Rows();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Attempt));
        // The server's error text reaches the ledger (OllamaSharp's own exception carries only the status line).
        Assert.All(rows, r => Assert.Contains("boom-4471", r.Error));
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_JSON_schema_response_format_is_sent_the_providers_way(string provider)
    {
        await using var h = await Start(provider, "max_retries: 0");
        var schema = JsonDocument
            .Parse("""{"type":"object","properties":{"values":{"type":"array","items":{"type":"string"}}},"required":["values"]}""")
            .RootElement;

        await h.AskAsync("judge", options: new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "judgment") });

        var body = Assert.Single(h.Stub.Requests).Body!;
        var sent = provider switch
        {
            "ollama" => body["format"],
            "anthropic" => Expect(body["output_config"]?["format"], "json_schema")?["schema"],
            _ => Expect(body["response_format"], "json_schema")?["json_schema"]?["schema"],
        };
        Assert.NotNull(sent);
        Assert.Equal("array", sent["properties"]?["values"]?["type"]?.GetValue<string>());
        Assert.Equal(["values"], sent["required"]!.AsArray().Select(x => x!.GetValue<string>()));
        if (provider == "azure-openai")
            Assert.Equal("judgment", body["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
    }

    private static JsonNode? Expect(JsonNode? format, string type)
    {
        Assert.Equal(type, format?["type"]?.GetValue<string>());
        return format;
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_schema_ignoring_reply_is_still_validated_and_re_asked(string provider)
    {
        await using var h = await Start(provider);
        h.Stub.Script = r =>
            r.Number == 1 ? Reply(provider, "The values are power and security.") : Reply(provider, """{"values":["power","security"]}""");
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(
                JsonDocument
                    .Parse("""{"type":"object","properties":{"values":{"type":"array","items":{"type":"string"}}},"required":["values"]}""")
                    .RootElement,
                "judgment"
            ),
        };

        var outcome = await StructuredReply.AskAsync(
            h.Pool.Chat("stub"),
            EngineHarness.Probe("judge this", ParseValues, options),
            EngineHarness.Site(),
            2,
            Ct
        );

        Assert.True(outcome.Ok);
        Assert.Equal(["power", "security"], outcome.Value);
        Assert.Equal(2, outcome.Asks);
        Assert.Equal(2, h.Stub.Count);
    }

    private static ReplyParse<IReadOnlyList<string>> ParseValues(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Array
            ? ReplyParse<IReadOnlyList<string>>.Success(v.EnumerateArray().Select(x => x.GetString()!).ToList())
            : ReplyParse<IReadOnlyList<string>>.Failure("expected an object with a \"values\" array", []);
    }
}
