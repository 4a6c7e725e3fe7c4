using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// One model role's prompt, the single shape every role has (opinion, batched and per-value judge,
/// question values, explore, reflect, refine, safety, seed conversion, seed expansion): the rendered
/// request (role, version, messages and the fields the simulated pool reads), the options it needs
/// (response format, temperature), how a reply is read, and what the model is told after an unusable
/// reply. Each role's file in Prompts/ builds its prompts; <see cref="StructuredReply"/> asks them.
/// </summary>
/// <typeparam name="T">What a usable reply is read into.</typeparam>
public sealed record Prompt<T>(PromptRequest Request, Func<string, ReplyParse<T>> Parse)
{
    /// <summary>Options of the role (response format, temperature); the call's context is applied to a copy.</summary>
    public ChatOptions? Options { get; init; }

    /// <summary>What the model is told after an unusable reply, given the parser's error; null for the generic correction.</summary>
    public Func<string, string>? Reminder { get; init; }

    public string Role => Request.Role;

    public string Version => Request.Version;

    public IReadOnlyList<ChatMessage> Messages => Request.Messages;

    public JsonElement Fields => Request.Fields;

    /// <summary>The same prompt behind a system message (value priming); null leaves it unchanged.</summary>
    public Prompt<T> WithSystem(string? system) =>
        system is null
            ? this
            : this with
            {
                Request = Request with { Messages = [new ChatMessage(ChatRole.System, system), .. Request.Messages] },
            };
}

/// <summary>Where a prompt is asked: the run and stage (for the ledger) and the first ask's sample index (for the cache key).</summary>
public sealed record CallSite(string Run, string Stage, int Sample = 0);
