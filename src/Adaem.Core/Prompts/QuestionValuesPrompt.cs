using System.Text.Json;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// The values a question's own wording carries, before anyone answers it. Generation compares them with
/// the values in the answers (the disentanglement term): a good question lets models bring their own
/// values instead of echoing the ones the question plants.
/// </summary>
internal static class QuestionValuesPrompt
{
    public const string Role = PromptRoles.JudgeQuestion;
    public const string Version = "v1";

    public static JsonElement Fields(ValueTheory theory, string question, PromptLanguage? language = null) =>
        PromptRequest.WithLanguage(
            new Dictionary<string, object> { ["question"] = question, ["values"] = ValueJudgePrompt.ValueList(theory) },
            language
        );

    /// <summary>The values a question's own wording carries (for the paper's disentanglement), judged at temperature 0 in JSON.</summary>
    public static Prompt<IReadOnlySet<string>> For(ValueTheory theory, string question, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        return new PromptRequest(
            Role,
            Version + language.PromptTag,
            [.. Render(theory, question, language)],
            Fields(theory, question, language)
        ).Reading(r => Parse(r, theory, language)) with
        {
            Options = new ChatOptions { Temperature = 0, ResponseFormat = Format(theory) },
            Reminder = e => Reminder(e, language),
        };
    }

    public static IList<ChatMessage> Render(ValueTheory theory, string question, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var user = language.Templates.Render("judge.question", ("question", question));
        return [new ChatMessage(ChatRole.System, ValueJudgePrompt.SystemPrompt(theory, language)), new ChatMessage(ChatRole.User, user)];
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
                    ["items"] = new Dictionary<string, object>
                    {
                        ["type"] = "string",
                        ["enum"] = theory.Values.Select(v => v.Code).ToArray(),
                    },
                },
            },
            ["required"] = new[] { "values" },
            ["additionalProperties"] = false,
        };
        return ChatResponseFormat.ForJsonSchema(
            PlainJson.ToElement(schema),
            "question_values",
            "The values the question's wording carries"
        );
    }

    public static string Reminder(string error, PromptLanguage? language = null) =>
        (language ?? PromptLanguage.English).Templates.Render("judge.question_reminder", ("error", error));

    /// <summary>Reads {"values":[...]} (or a bare list) into value codes; unknown labels are noted and dropped.</summary>
    public static ReplyParse<IReadOnlySet<string>> Parse(string? reply, ValueTheory theory, PromptLanguage? language = null)
    {
        var words = (language ?? PromptLanguage.English).Parsing;
        if (string.IsNullOrWhiteSpace(reply))
            return ReplyParse<IReadOnlySet<string>>.Failure("empty reply");
        if (ReplyText.ExtractJson(reply) is not { } root)
            return ReplyParse<IReadOnlySet<string>>.Failure("no JSON found");
        var labels = root.ValueKind == JsonValueKind.Array ? root : ValueJudgePrompt.Property(root, "values");
        if (labels is null)
            return ReplyParse<IReadOnlySet<string>>.Failure("JSON has no \"values\"");
        var notes = new List<string>();
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in ValueJudgePrompt.Labels(labels.Value))
        {
            var code = ValueJudgePrompt.Resolve(theory, label);
            if (code is not null)
                set.Add(code);
            else if (!ValueJudgePrompt.IsNone(label, words))
                notes.Add($"unknown value '{label}'");
        }
        return ReplyParse<IReadOnlySet<string>>.Success(set, notes);
    }
}
