using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Models;
using Adaem.Core.Prompts.Languages;
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
        new(
            role,
            version,
            [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)],
            JsonSerializer.SerializeToElement(fields, FieldJson)
        );

    /// <summary>
    /// A request in <paramref name="language"/>: the role's version carries the language's tag, and the fields
    /// name the language (so the simulated pool answers in it); for the built-in English both are as they always were.
    /// </summary>
    public static PromptRequest Create(string role, string version, string system, string user, object fields, PromptLanguage language)
    {
        if (language.IsBuiltInEnglish)
            return Create(role, version, system, user, fields);
        var node = JsonSerializer.SerializeToNode(fields, FieldJson)!.AsObject();
        node[LanguageField] = language.Code;
        return new(
            role,
            version + language.PromptTag,
            [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)],
            JsonSerializer.SerializeToElement(node)
        );
    }

    /// <summary>The field that names a prompt's language (absent for the built-in English).</summary>
    public const string LanguageField = "language";

    /// <summary>Fields of a role built as a dictionary, with the language added when it is not the built-in English.</summary>
    public static JsonElement WithLanguage(Dictionary<string, object> fields, PromptLanguage? language)
    {
        if (language is { IsBuiltInEnglish: false })
            fields[LanguageField] = language.Code;
        return PlainJson.ToElement(fields);
    }

    /// <summary>This prompt's call context (run, stage, role, version, sample, fields).</summary>
    public CallContext Context(string run, string stage, int sample) =>
        new(run, stage, Role, Version, sample) { Fields = Fields.ValueKind == JsonValueKind.Undefined ? null : Fields };

    /// <summary>This request as a prompt whose replies <paramref name="parse"/> reads.</summary>
    public Prompt<T> Reading<T>(Func<string, ReplyParse<T>> parse) => new(this, parse);

    /// <summary>The call's options with this prompt's context.</summary>
    public ChatOptions Options(string run, string stage, int sample, ChatOptions? baseOptions = null) =>
        Context(run, stage, sample).Apply(baseOptions);
}
