using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Evaluation;

/// <summary>The outcome of asking until the reply parses: the parse, the last raw reply, and how many calls it took.</summary>
internal sealed record AskOutcome<T>(ReplyParse<T> Parse, string? RawText, int Calls, string? CallKey);

/// <summary>
/// Asks a model, parses the reply, and when it cannot be read asks again a bounded number of times: the
/// model sees its unreadable reply and a short reminder of the format. Each re-ask carries a new sample
/// index (<see cref="SampleStride"/> apart), so a cache never serves the bad reply back, and the same
/// retry is a cache hit when a run is resumed. After the last attempt the failure is returned, never
/// papered over.
/// </summary>
internal static class ReAsk
{
    /// <summary>Re-ask k of sample s uses sample index s + k × SampleStride; real samples stay below it.</summary>
    public const int SampleStride = 1000;

    /// <summary>The engine may put the durable cache key of a call here; stored with raw replies when present.</summary>
    public const string CallKeyProperty = "adaem.call_key";

    public static async Task<AskOutcome<T>> AskAsync<T>(
        IChatClient client,
        IList<ChatMessage> messages,
        Func<int, ChatOptions> optionsForSample,
        int sample,
        Func<string, ReplyParse<T>> parse,
        Func<string, string> reminder,
        int maxReAsks,
        CancellationToken cancellationToken)
    {
        var conversation = new List<ChatMessage>(messages);
        ReplyParse<T>? last = null;
        string? raw = null;
        string? key = null;
        var calls = 0;
        for (var attempt = 0; attempt <= maxReAsks; attempt++)
        {
            var options = optionsForSample(sample + attempt * SampleStride);
            var response = await client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
            calls++;
            raw = response.Text;
            key = response.AdditionalProperties?.TryGetValue(CallKeyProperty, out var k) == true ? k?.ToString() : null;
            last = parse(raw);
            if (last.Ok) return new AskOutcome<T>(last, raw, calls, key);
            conversation.Add(new ChatMessage(ChatRole.Assistant, raw ?? ""));
            conversation.Add(new ChatMessage(ChatRole.User, reminder(last.Error ?? "unreadable")));
        }
        var notes = last!.Notes;
        var error = maxReAsks > 0 ? $"{last.Error} (after {maxReAsks} re-ask{(maxReAsks == 1 ? "" : "s")})" : last.Error!;
        return new AskOutcome<T>(ReplyParse<T>.Failure(error, notes), raw, calls, key);
    }

    /// <summary>Options carrying the call context for one sample index.</summary>
    public static Func<int, ChatOptions> Options(string run, string stage, string role, string version, System.Text.Json.JsonElement fields, ChatOptions? template = null) =>
        sample => new CallContext(run, stage, role, version, sample) { Fields = fields }.Apply(template);
}
