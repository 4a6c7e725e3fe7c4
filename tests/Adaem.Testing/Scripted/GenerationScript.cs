using System.Text.Json;
using Adaem.Core.Prompts;

namespace Adaem.Testing;

/// <summary>
/// A script for <see cref="ScriptedChatClient"/> that answers the generation roles (explore, reflect, refine,
/// seed conversion, safety) in their reply formats, deterministically in (model, role, fields, sample),
/// so runs can be compared and resumed. Any other role is an error.
/// </summary>
public static class GenerationScript
{
    public static string Answer(ScriptedCall call, JsonElement fields) =>
        call.Role switch
        {
            PromptRoles.ExploreContext => ExploreContext(call.Model, fields, call.Sample),
            PromptRoles.ExploreQuestion => ExploreQuestion(call.Model, fields, call.Sample),
            PromptRoles.Reflect =>
                $"The key points overlap.\n[Suggestions]: bring in the view of {StableHash.Word(StableHash.Of(call.Model, S(fields, "question")), 1)}",
            PromptRoles.Refine => Refine(call.Model, fields),
            PromptRoles.SeedConvert => $"[Question]: Is it right that {S(fields, "argument").ToLowerInvariant()}?",
            PromptRoles.Safety => S(fields, "question").Contains("bomb", StringComparison.OrdinalIgnoreCase)
                ? "unsafe\nS9: weapons"
                : "safe",
            _ => throw new InvalidOperationException($"scripted model has no answer for role {call.Role}"),
        };

    private static string ExploreContext(string model, JsonElement f, int sample)
    {
        var h = StableHash.Of(model, S(f, "general"), f.GetProperty("used_contexts").GetArrayLength(), sample);
        return $"Let me think.\n[Information]: a dispute between {StableHash.Word(h, 0)} and {StableHash.Word(h, 1)} near {StableHash.Word(h, 2)}";
    }

    private static string ExploreQuestion(string model, JsonElement f, int sample)
    {
        var h = StableHash.Of(model, S(f, "information"), sample);
        return $"[Argument]: {StableHash.Word(h, 0)} deserve it\n[Question]: Should {StableHash.Word(h, 0)} fund {StableHash.Word(h, 1)} for {StableHash.Word(h, 2)} and {StableHash.Word(h, 3)}?";
    }

    private static string Refine(string model, JsonElement f)
    {
        var q = S(f, "question").TrimEnd('?');
        var h = StableHash.Of(model, q, S(f, "suggestions"));
        return $"**[Question]:** {q} despite {StableHash.Word(h, 4)}?";
    }

    private static string S(JsonElement f, string key) => f.TryGetProperty(key, out var v) ? v.GetString() ?? "" : "";
}
