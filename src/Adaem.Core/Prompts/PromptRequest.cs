using System.Text.Json;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>A rendered prompt of one role: the messages a real model reads and the fields the simulated pool reads.</summary>
public sealed record PromptRequest(string Role, string Version, IReadOnlyList<ChatMessage> Messages, JsonElement Fields)
{
    internal static readonly JsonSerializerOptions FieldJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static PromptRequest Create(string role, string version, string system, string user, object fields) =>
        new(role, version, [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)],
            JsonSerializer.SerializeToElement(fields, FieldJson));

    /// <summary>This prompt's call context (run, stage, role, version, sample, fields).</summary>
    public CallContext Context(string run, string stage, int sample) =>
        new(run, stage, Role, Version, sample) { Fields = Fields.ValueKind == JsonValueKind.Undefined ? null : Fields };

    /// <summary>This request as a prompt whose replies <paramref name="parse"/> reads.</summary>
    public Prompt<T> Reading<T>(Func<string, ReplyParse<T>> parse) => new(this, parse);

    /// <summary>The call's options with this prompt's context.</summary>
    public ChatOptions Options(string run, string stage, int sample, ChatOptions? baseOptions = null) => Context(run, stage, sample).Apply(baseOptions);
}
