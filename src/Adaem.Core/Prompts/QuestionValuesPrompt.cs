using System.Text.Json;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// The values a question's own wording carries, before anyone answers it. Generation compares them with
/// the values in the answers (the disentanglement term): a good question lets models bring their own
/// values instead of echoing the ones the question plants.
/// </summary>
public static class QuestionValuesPrompt
{
    public const string Role = PromptRoles.JudgeQuestion;
    public const string Version = "v1";

    public static JsonElement Fields(ValueTheory theory, string question) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["question"] = question, ["values"] = ValueJudgePrompt.ValueList(theory) });

    /// <summary>The values a question's own wording carries (for the paper's disentanglement), judged at temperature 0 in JSON.</summary>
    public static Prompt<IReadOnlySet<string>> For(ValueTheory theory, string question) =>
        new PromptRequest(Role, Version, [.. Render(theory, question)], Fields(theory, question)).Reading(r => Parse(r, theory)) with
        {
            Options = new ChatOptions { Temperature = 0, ResponseFormat = Format(theory) },
            Reminder = Reminder,
        };

    public static IList<ChatMessage> Render(ValueTheory theory, string question)
    {
        var user = $$"""
            Here is a question, not an answer to it:

            {{question}}

            Which values does the wording of the question itself appeal to or presuppose? Count only what the
            question says or implies, not what an answer might add. Reply with JSON only:
            {"values":["code", ...]} using the value codes listed above; an empty list if none.
            """;
        return [new ChatMessage(ChatRole.System, ValueJudgePrompt.SystemPrompt(theory)), new ChatMessage(ChatRole.User, user)];
    }

    public static ChatResponseFormat Format(ValueTheory theory)
    {
        var schema = new Dictionary<string, object>
        {
            ["type"] = "object",
            ["properties"] = new Dictionary<string, object>
            {
                ["values"] = new Dictionary<string, object>
                {
                    ["type"] = "array",
                    ["items"] = new Dictionary<string, object> { ["type"] = "string", ["enum"] = theory.Values.Select(v => v.Code).ToArray() },
                },
            },
            ["required"] = new[] { "values" },
            ["additionalProperties"] = false,
        };
        return ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(schema), "question_values", "The values the question's wording carries");
    }

    public static string Reminder(string error) =>
        $"I could not use that reply ({error}). Answer again with JSON only: {{\"values\":[...]}} using only the value codes listed above.";

    /// <summary>Reads {"values":[...]} (or a bare list) into value codes; unknown labels are noted and dropped.</summary>
    public static ReplyParse<IReadOnlySet<string>> Parse(string? reply, ValueTheory theory)
    {
        if (string.IsNullOrWhiteSpace(reply)) return ReplyParse<IReadOnlySet<string>>.Failure("empty reply");
        if (ReplyText.ExtractJson(reply) is not { } root) return ReplyParse<IReadOnlySet<string>>.Failure("no JSON found");
        var labels = root.ValueKind == JsonValueKind.Array ? root : ValueJudgePrompt.Property(root, "values");
        if (labels is null) return ReplyParse<IReadOnlySet<string>>.Failure("JSON has no \"values\"");
        var notes = new List<string>();
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in ValueJudgePrompt.Labels(labels.Value))
        {
            var code = ValueJudgePrompt.Resolve(theory, label);
            if (code is not null) set.Add(code);
            else if (!ValueJudgePrompt.IsNone(label)) notes.Add($"unknown value '{label}'");
        }
        return ReplyParse<IReadOnlySet<string>>.Success(set, notes);
    }
}
