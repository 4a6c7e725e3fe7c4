using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Engine;

/// <summary>
/// The identity of a model call, as the durable cache sees it. Everything that changes what the model
/// would answer is in it; secrets never are.
/// </summary>
/// <param name="ProviderKind">openai, ollama, simulated, ...</param>
/// <param name="Endpoint">Base URL or other endpoint identity, without credentials.</param>
/// <param name="SampleIndex">Which repeat of the same prompt this is; repeats are real samples, not cache hits.</param>
/// <param name="PromptSchemaVersion">Version of the prompt role that built the messages; bump it to invalidate.</param>
public sealed record CallIdentity(string ProviderKind, string Endpoint, string Model, int SampleIndex, string PromptSchemaVersion);

public static class CallKey
{
    /// <summary>The canonical JSON the key hashes; also what the ledger stores as the request.</summary>
    public static string CanonicalRequest(CallIdentity id, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var o = new JsonObject
        {
            ["provider"] = id.ProviderKind,
            ["endpoint"] = EndpointText.WithoutCredentials(id.Endpoint),
            ["model"] = id.Model,
            ["sample"] = id.SampleIndex,
            ["prompt_schema"] = id.PromptSchemaVersion,
            ["messages"] = new JsonArray(
                messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["text"] = m.Text }).ToArray()
            ),
            ["options"] = Options(options),
        };
        return CanonicalJson.Write(o);
    }

    public static string Compute(CallIdentity id, IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        Hash(CanonicalRequest(id, messages, options));

    /// <summary>The key of a request already in canonical form (the output of <see cref="CanonicalRequest"/>).</summary>
    public static string OfCanonical(string canonicalRequest) => Hash(canonicalRequest);

    /// <summary>SHA-256 (lower-case hex) of the canonical form of a JSON request.</summary>
    public static string FromJson(string requestJson) => Hash(CanonicalJson.Canonicalize(requestJson));

    private static string Hash(string canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private static JsonObject Options(ChatOptions? options)
    {
        var o = new JsonObject();
        if (options is null)
            return o;
        if (options.Temperature is { } t)
            o["temperature"] = t;
        if (options.TopP is { } p)
            o["top_p"] = p;
        if (options.MaxOutputTokens is { } mt)
            o["max_tokens"] = mt;
        if (options.Seed is { } s)
            o["seed"] = s;
        if (options.StopSequences is { Count: > 0 } stops)
            o["stop"] = new JsonArray(stops.Select(x => (JsonNode?)x).ToArray());
        switch (options.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                o["response_format"] = new JsonObject
                {
                    ["type"] = "json_schema",
                    ["name"] = json.SchemaName,
                    ["schema"] = JsonNode.Parse(schema.GetRawText()),
                };
                break;
            case ChatResponseFormatJson:
                o["response_format"] = "json";
                break;
        }
        return o;
    }
}
