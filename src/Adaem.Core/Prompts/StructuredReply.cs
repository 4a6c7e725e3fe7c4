using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>How an ask for a structured reply ended.</summary>
public enum ParseStatus
{
    /// <summary>A reply parsed and passed validation.</summary>
    Ok,
    /// <summary>Every reply, including the bounded re-asks, failed to parse or validate.</summary>
    ParseFailed,
    /// <summary>The model call itself failed (after the engine's retries); nothing to parse.</summary>
    CallFailed,
}

/// <summary>
/// The result of <see cref="StructuredReply.AskAsync{T}"/>. A failure is a value to record (for example
/// as a parsed_responses row with parse_ok = 0), never a silent zero or a default.
/// </summary>
public sealed record ParseOutcome<T>
    where T : class
{
    public required ParseStatus Status { get; init; }
    /// <summary>The parsed value; null unless <see cref="Status"/> is Ok.</summary>
    public T? Value { get; init; }
    /// <summary>How many times the model was asked (1 + re-asks).</summary>
    public required int Asks { get; init; }
    /// <summary>Every raw reply in order, so a later parser version can re-read them without asking again.</summary>
    public required IReadOnlyList<string> Replies { get; init; }
    /// <summary>Why the last reply was not accepted, or why the call failed.</summary>
    public string? Error { get; init; }
    /// <summary>The engine's cache key of the last reply, when the engine reported one.</summary>
    public string? CallKey { get; init; }
    /// <summary>The sample index the last ask used (re-asks use their own, see <see cref="StructuredReply.ReaskSampleStride"/>).</summary>
    public int Sample { get; init; }

    public bool Ok => Status == ParseStatus.Ok;
    public string? LastReply => Replies.Count == 0 ? null : Replies[^1];
}

/// <summary>
/// Asks a model for a reply in a required format, validates it with the caller's parser, and re-asks a
/// bounded number of times when it does not parse. The JSON-schema response format in
/// <see cref="ChatOptions.ResponseFormat"/> (when the caller sets one) travels to providers that support
/// it; validation happens regardless, because providers and local servers do not always honour it.
/// </summary>
public static class StructuredReply
{
    /// <summary>
    /// Re-ask r of sample s uses sample index s + r × stride. A re-ask must be a fresh sample, not a
    /// cache hit of the reply that just failed, and it must not collide with the real repeat samples
    /// of the same prompt (which stay far below the stride).
    /// </summary>
    public const int ReaskSampleStride = 1000;

    public const string CallKeyProperty = "adaem.call_key";

    /// <param name="parse">Returns the value, or null (or throws <see cref="FormatException"/> with the reason) when the reply is unusable.</param>
    /// <param name="maxReasks">How many times to ask again after an unusable reply (0 = ask once).</param>
    public static async Task<ParseOutcome<T>> AskAsync<T>(
        IChatClient client,
        IList<ChatMessage> messages,
        CallContext context,
        ChatOptions? options,
        Func<string, T?> parse,
        int maxReasks,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxReasks);
        var replies = new List<string>();
        string? error = null;
        string? callKey = null;
        var sample = context.Sample;
        for (var r = 0; r <= maxReasks; r++)
        {
            sample = context.Sample + r * ReaskSampleStride;
            var conversation = r == 0 ? messages : Correction(messages, replies[^1], error!);
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(conversation, (context with { Sample = sample }).Apply(options), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (ModelCallException e) when (!e.StopsRun)
            {
                return new ParseOutcome<T>
                {
                    Status = ParseStatus.CallFailed, Asks = r + 1, Replies = replies, Error = $"call failed ({e.Failure}): {e.Message}",
                    CallKey = callKey, Sample = sample,
                };
            }
            var text = response.Text;
            replies.Add(text);
            callKey = response.AdditionalProperties?.TryGetValue(CallKeyProperty, out var k) == true ? k?.ToString() : null;
            try
            {
                if (parse(text) is { } value)
                {
                    return new ParseOutcome<T> { Status = ParseStatus.Ok, Value = value, Asks = r + 1, Replies = replies, CallKey = callKey, Sample = sample };
                }
                error = "the reply does not follow the required format";
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException)
            {
                error = e.Message;
            }
        }
        return new ParseOutcome<T>
        {
            Status = ParseStatus.ParseFailed, Asks = maxReasks + 1, Replies = replies, Error = error, CallKey = callKey, Sample = sample,
        };
    }

    /// <summary>The original prompt, the unusable reply, and one short note on what was wrong.</summary>
    private static List<ChatMessage> Correction(IList<ChatMessage> messages, string badReply, string error) =>
    [
        .. messages,
        new ChatMessage(ChatRole.Assistant, badReply),
        new ChatMessage(ChatRole.User,
            $"Your reply could not be used: {Short(error)}. Answer again, following the required format exactly and adding nothing else."),
    ];

    private static string Short(string error) => error.Length <= 300 ? error : error[..300] + "...";
}
