using System.Text.Json;
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

    /// <summary>
    /// The JSON lines of a results file, each parsed; blank lines are skipped, and so is a line that is not a JSON object:
    /// its request then has no outcome, so it counts as missing and is asked again, while the other lines of the
    /// file are read (failing the whole file would make the poller download it again and again).
    /// </summary>
    public static IEnumerable<JsonNode> Lines(string jsonl)
    {
        foreach (var line in jsonl.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length == 0)
                continue;
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(t);
            }
            catch (JsonException)
            {
                continue;
            }
            // A line that is JSON but no object (a number, an array) names no request either.
            if (node is JsonObject)
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
