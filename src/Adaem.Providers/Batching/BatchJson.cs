using System.Text.Json.Nodes;

namespace Adaem.Providers.Batching;

/// <summary>Lenient reads of the batch APIs' JSON: a field that is missing or of another type reads as absent.</summary>
internal static class BatchJson
{
    public static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static int Int(JsonNode? node) =>
        node is JsonValue v
            ? v.TryGetValue<int>(out var i)
                ? i
                : v.TryGetValue<long>(out var l)
                    ? (int)Math.Min(int.MaxValue, l)
                    : 0
            : 0;

    /// <summary>The JSON lines of a results file, each parsed; blank lines are skipped.</summary>
    public static IEnumerable<JsonNode> Lines(string jsonl)
    {
        foreach (var line in jsonl.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length == 0)
                continue;
            if (JsonNode.Parse(t) is { } node)
                yield return node;
        }
    }

    /// <summary>
    /// The HTTP status an API error type stands for (Anthropic names its errors by type only), so a request's
    /// error inside a batch is classified like the same error of a direct call.
    /// </summary>
    public static int StatusOfErrorType(string? type) =>
        type switch
        {
            "invalid_request_error" => 400,
            "authentication_error" => 401,
            "billing_error" => 402,
            "permission_error" => 403,
            "not_found_error" => 404,
            "request_too_large" => 413,
            "rate_limit_error" => 429,
            "overloaded_error" => 529,
            _ => 500,
        };
}
