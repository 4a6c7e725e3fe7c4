using System.Text.Json;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// The result of <see cref="StructuredReply.AskAsync{T}(IChatClient, Prompt{T}, CallSite, int, CancellationToken)"/>:
/// the parse of the last reply (a value, or the reason there is none, with the parser's notes either way)
/// and the raw replies behind it. A failure is a value to record (a parsed_responses row with
/// parse_ok = 0, a dropped candidate with its reason), never a silent zero or a default.
/// </summary>
public sealed record ParseOutcome<T>
{
    /// <summary>What the parser made of the last reply; after the last re-ask the error says how many there were.</summary>
    public required ReplyParse<T> Parse { get; init; }

    /// <summary>Every raw reply in order (one per ask), so a later parser version can re-read them without asking again.</summary>
    public required IReadOnlyList<string> Replies { get; init; }

    /// <summary>The engine's cache key of the last reply, when the engine reported one.</summary>
    public string? CallKey { get; init; }

    /// <summary>The sample index of the last ask (see <see cref="StructuredReply.ReaskSampleStride"/>).</summary>
    public required int Sample { get; init; }

    public bool Ok => Parse.Ok;

    /// <summary>The parsed value; meaningful only when <see cref="Ok"/>.</summary>
    public T? Value => Parse.Value;

    /// <summary>Why the last reply was not accepted; null when <see cref="Ok"/>.</summary>
    public string? Error => Parse.Error;

    /// <summary>How many times the model was asked (1 + re-asks).</summary>
    public int Asks => Replies.Count;
    public string? LastReply => Replies.Count == 0 ? null : Replies[^1];
}

/// <summary>
/// The one way adaem asks a model for a reply in a required format: ask, parse, and on an unusable reply
/// ask again a bounded number of times, showing the model its reply and a reminder of the format, each
/// re-ask as a fresh sample. After the last re-ask the failure is returned for the caller to record.
/// <para>
/// Errors of the call itself propagate: the call engine has already retried them, and the stages decide
/// what a failure that survived the retries means (stop the run and resume later, or record the item).
/// </para>
/// <para>
/// The JSON-schema response format in <see cref="ChatOptions.ResponseFormat"/> (when the caller sets one)
/// travels to providers that support it; the parser validates regardless, because providers and local
/// servers do not always honour it.
/// </para>
/// </summary>
public static class StructuredReply
{
    /// <summary>
    /// Re-ask r of a first ask with sample s uses sample index s + r × 1000. A re-ask must be a fresh
    /// sample, not a cache hit of the reply that just failed (and the simulated pool answers a new
    /// sample differently), while a resumed run makes the same re-ask again and the cache answers it.
    /// </summary>
    public const int ReaskSampleStride = 1000;

    /// <summary>At most this many re-asks, so the re-ask is one decimal digit of the sample index.</summary>
    public const int MaxReAsksLimit = 9;

    /// <summary>
    /// Sample indices come in blocks of 10,000: <c>block × 10,000 + r × 1000 + repeat</c>, with the
    /// repeat below 1000 and the re-ask r below 10. Every index decomposes one way only, so a re-ask can
    /// never land on another ask's sample. A first ask's index has r = 0; build it with <see cref="Sample"/>.
    /// </summary>
    public const int SampleBlock = ReaskSampleStride * (MaxReAsksLimit + 1);

    /// <summary>Re-asks of the stages' structured replies (evaluation and generation alike).</summary>
    public const int DefaultMaxReAsks = 2;

    /// <summary>The engine puts the durable cache key of a call in the response's additional properties under this name.</summary>
    public const string CallKeyProperty = "adaem.call_key";

    /// <summary>
    /// The sample index of a first ask: repeat <paramref name="repeat"/> (0..999, the real repeat samples of
    /// a prompt) in block <paramref name="block"/> (0 for evaluation; the generation loop uses one block per step).
    /// </summary>
    public static int Sample(int block, int repeat)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfNegative(repeat);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(repeat, ReaskSampleStride);
        return checked(block * SampleBlock + repeat);
    }

    /// <summary>Which re-ask a sample index belongs to (0 for a first ask).</summary>
    public static int ReAskOf(int sample) => sample % SampleBlock / ReaskSampleStride;

    /// <summary>Asks <paramref name="prompt"/> with <see cref="DefaultMaxReAsks"/> re-asks.</summary>
    public static Task<ParseOutcome<T>> AskAsync<T>(
        IChatClient client,
        Prompt<T> prompt,
        CallSite site,
        CancellationToken cancellationToken
    ) => AskAsync(client, prompt, site, DefaultMaxReAsks, cancellationToken);

    /// <param name="client">The model, behind the call engine.</param>
    /// <param name="prompt">The role's prompt: messages, fields, options, parser and reminder.</param>
    /// <param name="site">Run, stage and the first ask's sample index (its re-ask digit must be 0).</param>
    /// <param name="maxReAsks">How many times to ask again after an unusable reply (0 = ask once; at most <see
    /// cref="MaxReAsksLimit"/>).</param>
    /// <param name="cancellationToken">Stops between asks; a finished call is already in the store.</param>
    public static Task<ParseOutcome<T>> AskAsync<T>(
        IChatClient client,
        Prompt<T> prompt,
        CallSite site,
        int maxReAsks,
        CancellationToken cancellationToken
    ) =>
        AskCoreAsync(
            client,
            prompt.Messages,
            prompt.Request.Context(site.Run, site.Stage, site.Sample),
            prompt.Options,
            prompt.Parse,
            prompt.Reminder,
            maxReAsks,
            cancellationToken
        );

    /// <param name="messages">The prompt of the first ask.</param>
    /// <param name="context">Run, stage, prompt role and version, fields and the first ask's sample index (its re-ask digit must be
    /// 0).</param>
    /// <param name="options">Options template (temperature, response format); the context is applied to a copy.</param>
    /// <param name="parse">Reads a reply. A <see cref="FormatException"/> or <see cref="JsonException"/> it throws counts as an unusable
    /// reply.</param>
    /// <param name="reminder">What the model is told after an unusable reply, given the parser's error; null for a generic
    /// correction.</param>
    /// <param name="maxReAsks">How many times to ask again after an unusable reply (0 = ask once; at most <see
    /// cref="MaxReAsksLimit"/>).</param>
    private static async Task<ParseOutcome<T>> AskCoreAsync<T>(
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        CallContext context,
        ChatOptions? options,
        Func<string, ReplyParse<T>> parse,
        Func<string, string>? reminder,
        int maxReAsks,
        CancellationToken cancellationToken
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxReAsks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxReAsks, MaxReAsksLimit);
        if (context.Sample < 0 || ReAskOf(context.Sample) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(context),
                $"sample {context.Sample} is not a first ask's sample index (its thousands digit must be 0); build it with StructuredReply.Sample"
            );
        }
        reminder ??= Correction;

        var conversation = new List<ChatMessage>(messages);
        var replies = new List<string>();
        ReplyParse<T>? last = null;
        string? callKey = null;
        var sample = context.Sample;
        for (var r = 0; r <= maxReAsks; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sample = context.Sample + r * ReaskSampleStride;
            var response = await client
                .GetResponseAsync(conversation, (context with { Sample = sample }).Apply(options), cancellationToken)
                .ConfigureAwait(false);
            var text = response.Text ?? "";
            replies.Add(text);
            callKey = response.AdditionalProperties?.TryGetValue(CallKeyProperty, out var k) == true ? k?.ToString() : null;
            last = Read(parse, text);
            if (last.Ok)
                return new ParseOutcome<T>
                {
                    Parse = last,
                    Replies = replies,
                    CallKey = callKey,
                    Sample = sample,
                };
            // The next ask sees every earlier reply and what was wrong with it.
            conversation.Add(new ChatMessage(ChatRole.Assistant, text));
            conversation.Add(new ChatMessage(ChatRole.User, reminder(last.Error ?? "unreadable")));
        }
        var error = maxReAsks > 0 ? $"{last!.Error} (after {maxReAsks} re-ask{(maxReAsks == 1 ? "" : "s")})" : last!.Error ?? "unreadable";
        return new ParseOutcome<T>
        {
            Parse = ReplyParse<T>.Failure(error, last.Notes),
            Replies = replies,
            CallKey = callKey,
            Sample = sample,
        };
    }

    private static ReplyParse<T> Read<T>(Func<string, ReplyParse<T>> parse, string text)
    {
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return ReplyParse<T>.Failure(e.Message);
        }
    }

    /// <summary>The generic follow-up: what was wrong, and to answer again in the required format only.</summary>
    private static string Correction(string error) =>
        $"Your reply could not be used: {(error.Length <= 300 ? error : error[..300] + "...")}. Answer again, following the required format exactly and adding nothing else.";
}
