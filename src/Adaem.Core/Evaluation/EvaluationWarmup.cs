using System.Text.Json;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Evaluation;

/// <summary>
/// Runs the code an evaluation's first answers go through once, on made-up inputs, so a process can do it on a
/// spare core before its first replies arrive (the CLI's start-up warm-up calls it): the English prompts read,
/// an opinion prompt built and a reply to it parsed, the opinions stored and read back as the store keeps them,
/// and the batched judge's prompt built and its reply parsed. Nothing is written anywhere.
/// </summary>
public static class EvaluationWarmup
{
    /// <summary>An answer to an opinion prompt asking for three key points.</summary>
    public const string OpinionReply = "Stance: yes\nKey Points:\n1. One: a reason.\n2. Two: a reason.\n3. Three: a reason.\n";

    /// <summary>A reply of the batched judge to the three opinions of <see cref="OpinionReply"/>.</summary>
    public const string JudgeReply =
        """{"opinions":[{"index":1,"values":["universalism"]},{"index":2,"values":[]},{"index":3,"values":["security"]}]}""";

    /// <summary>What the first requests need: the English prompts read and an opinion prompt built.</summary>
    public static void Requests() => _ = OpinionPrompt.For("warm-up?", 3).Request.Fields;

    /// <summary>What the first replies need; throws when a made-up reply is not read (the parsers changed under it).</summary>
    public static void Replies()
    {
        var parsed = OpinionPrompt.Parse(OpinionReply, 3, PromptLanguages.English);
        if (!parsed.Ok)
            throw new InvalidOperationException("the warm-up's answer was not read: " + parsed.Error);
        var json = JsonSerializer.Serialize(
            parsed.Value!.Opinions.Select(o => new StoredOpinion(o.Point, o.Justification)),
            StoredJson.Default.IEnumerableStoredOpinion
        );
        var opinions = JsonSerializer.Deserialize(json, StoredJson.Default.ListStoredOpinion) ?? [];

        var theory = TheoryLoader.Load("schwartz10");
        _ = ValueJudgePrompt.Batched(theory, [.. opinions.Select(o => o.Point)]).Request.Fields;
        var labels = ValueJudgePrompt.ParseBatched(JudgeReply, theory, opinions.Count);
        if (!labels.Ok)
            throw new InvalidOperationException("the warm-up's judgment was not read: " + labels.Error);
        var stored = JsonSerializer.Serialize(
            labels.Value!.Select(s => s.Order(StringComparer.Ordinal).ToArray()),
            StoredJson.Default.IEnumerableStringArray
        );
        _ = JsonSerializer.Deserialize(stored, StoredJson.Default.ListStringArray);
    }

    /// <summary>
    /// The reply path through a chat client (the CLI's warm-up passes one whose HTTP handler answers in process): an
    /// opinion asked and read, then a batched judgment asked with its response schema and read.
    /// </summary>
    public static void Chat(IChatClient chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        var answer = Ask(chat, new ChatOptions { Temperature = 0 });
        if (!OpinionPrompt.Parse(answer, 3).Ok)
            throw new InvalidOperationException("the warm-up's answer was not read: " + answer);
        var theory = TheoryLoader.Load("schwartz10");
        var judgment = Ask(chat, new ChatOptions { Temperature = 0, ResponseFormat = ValueJudgePrompt.BatchedFormat(theory) });
        if (!ValueJudgePrompt.ParseBatched(judgment, theory, 3).Ok)
            throw new InvalidOperationException("the warm-up's judgment was not read: " + judgment);
    }

    private static string Ask(IChatClient chat, ChatOptions options) =>
        chat.GetResponseAsync([new ChatMessage(ChatRole.User, "warm-up?")], options).GetAwaiter().GetResult().Text;
}
