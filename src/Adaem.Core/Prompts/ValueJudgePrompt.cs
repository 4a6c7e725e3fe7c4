using System.Text.Json;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// The value judge, in two modes. <c>per-value</c> is the paper's Listing 4: one opinion, one value, a Yes/No
/// answer, so a response with L opinions costs L × |values| calls. <c>batched</c> labels every opinion of
/// a response on every value in one JSON-schema call. Both share one system prompt that lists the
/// theory's values with their definitions, so the judge reads the same definitions in either mode.
/// The texts come from the language's templates; the theory passed in should carry that language's
/// definitions (<see cref="Languages.TheoryLanguage.For"/>).
/// </summary>
internal static class ValueJudgePrompt
{
    public const string BatchedRole = PromptRoles.JudgeBatched;
    public const string PerValueRole = PromptRoles.JudgeValue;

    /// <summary>Version of both templates (part of the cache key and of the stored judge identity).</summary>
    public const string Version = "v1";

    public static string SystemPrompt(ValueTheory theory, PromptLanguage? language = null)
    {
        var t = (language ?? PromptLanguage.English).Templates;
        var values = string.Join(
            "\n",
            theory.Values.Select(v => t.Render("judge.value_line", ("code", v.Code), ("name", v.Name), ("definition", v.Definition)))
        );
        return t.Render("judge.system", ("theory_name", theory.Name), ("theory_description", theory.Description), ("values", values));
    }

    /// <summary>The theory's values as the fields list {code, name, definition}.</summary>
    public static IReadOnlyList<Dictionary<string, string>> ValueList(ValueTheory theory) => theory.Values.Select(ValueEntry).ToList();

    private static Dictionary<string, string> ValueEntry(ValueDimension v) =>
        new()
        {
            ["code"] = v.Code,
            ["name"] = v.Name,
            ["definition"] = v.Definition,
        };

    // ---- batched -------------------------------------------------------------------------------

    public static JsonElement BatchedFields(ValueTheory theory, IReadOnlyList<string> opinions, PromptLanguage? language = null) =>
        PromptRequest.WithLanguage(new Dictionary<string, object> { ["opinions"] = opinions, ["values"] = ValueList(theory) }, language);

    /// <summary>The batched judge: every value of the theory for each opinion of one response, in one JSON reply at temperature
    /// 0.</summary>
    public static Prompt<IReadOnlyList<IReadOnlySet<string>>> Batched(
        ValueTheory theory,
        IReadOnlyList<string> opinions,
        PromptLanguage? language = null
    )
    {
        language ??= PromptLanguage.English;
        return new PromptRequest(
            BatchedRole,
            Version + language.PromptTag,
            [.. RenderBatched(theory, opinions, language)],
            BatchedFields(theory, opinions, language)
        ).Reading(r => ParseBatched(r, theory, opinions.Count, language)) with
        {
            Options = new ChatOptions { Temperature = 0, ResponseFormat = BatchedFormat(theory) },
            Reminder = e => BatchedReminder(e, opinions.Count, language),
        };
    }

    public static IList<ChatMessage> RenderBatched(ValueTheory theory, IReadOnlyList<string> opinions, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var lines = string.Join("\n", opinions.Select((o, i) => t.Render("judge.batched_line", ("index", i + 1), ("text", o))));
        var user = t.Render("judge.batched", ("count", opinions.Count), ("opinions", lines), ("first_code", theory.Values[0].Code));
        return [new ChatMessage(ChatRole.System, SystemPrompt(theory, language)), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>JSON schema of the batched reply, with the theory's codes as an enum (providers that support
    /// structured output then cannot answer anything else).</summary>
    public static ChatResponseFormat BatchedFormat(ValueTheory theory)
    {
        var schema = new Dictionary<string, object>
        {
            ["type"] = "object",
            ["properties"] = new Dictionary<string, object>
            {
                ["opinions"] = new Dictionary<string, object>
                {
                    ["type"] = "array",
                    ["items"] = new Dictionary<string, object>
                    {
                        ["type"] = "object",
                        ["properties"] = new Dictionary<string, object>
                        {
                            ["index"] = new Dictionary<string, object> { ["type"] = "integer" },
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
                        ["required"] = new[] { "index", "values" },
                        ["additionalProperties"] = false,
                    },
                },
            },
            ["required"] = new[] { "opinions" },
            ["additionalProperties"] = false,
        };
        return ChatResponseFormat.ForJsonSchema(PlainJson.ToElement(schema), "value_labels", "The values each opinion expresses");
    }

    public static string BatchedReminder(string error, int opinions, PromptLanguage? language = null) =>
        (language ?? PromptLanguage.English).Templates.Render("judge.batched_reminder", ("error", error), ("opinions", opinions));

    /// <summary>
    /// Reads the batched reply into one set of value codes per opinion. Accepts the JSON inside chatter or a
    /// code fence, a bare array, labels given as codes, names or abbreviations, and "values" written as a
    /// list, an object of flags or a comma string. Every opinion must be answered; unknown labels are
    /// noted and dropped.
    /// </summary>
    public static ReplyParse<IReadOnlyList<IReadOnlySet<string>>> ParseBatched(
        string? reply,
        ValueTheory theory,
        int opinions,
        PromptLanguage? language = null
    )
    {
        var words = (language ?? PromptLanguage.English).Parsing;
        if (string.IsNullOrWhiteSpace(reply))
            return ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Failure("empty reply");
        if (ReplyText.ExtractJson(reply) is not { } root)
            return ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Failure("no JSON found");
        JsonElement entries;
        if (root.ValueKind == JsonValueKind.Array)
            entries = root;
        else if (Property(root, "opinions") is { ValueKind: JsonValueKind.Array } list)
            entries = list;
        else
            return ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Failure("JSON has no \"opinions\" list");

        var notes = new List<string>();
        var sets = new HashSet<string>?[opinions];
        var position = 0;
        foreach (var e in entries.EnumerateArray())
        {
            position++;
            if (e.ValueKind != JsonValueKind.Object)
            {
                notes.Add($"entry {position} is not an object");
                continue;
            }
            var index = Property(e, "index") is { } ix ? ReadIndex(ix) : position;
            if (index is null || index < 1 || index > opinions)
            {
                notes.Add($"entry {position} has index outside 1..{opinions}");
                continue;
            }
            var labels = Property(e, "values") ?? Property(e, "labels");
            if (labels is null)
                return ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Failure($"opinion {index} has no \"values\"");
            var set = sets[index.Value - 1] ??= new HashSet<string>(StringComparer.Ordinal);
            foreach (var label in Labels(labels.Value))
            {
                var code = Resolve(theory, label);
                if (code is not null)
                    set.Add(code);
                else if (!IsNone(label, words))
                    notes.Add($"unknown value '{label}'");
            }
        }
        var missing = Enumerable.Range(1, opinions).Where(i => sets[i - 1] is null).ToList();
        if (missing.Count > 0)
            return ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Failure($"no labels for opinion {string.Join(", ", missing)}", notes);
        return ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Success(sets.Select(s => (IReadOnlySet<string>)s!).ToList(), notes);
    }

    // ---- per value (the paper's Listing 4) -------------------------------------------------------

    public static JsonElement PerValueFields(string text, ValueDimension value, PromptLanguage? language = null) =>
        PromptRequest.WithLanguage(new Dictionary<string, object> { ["text"] = text, ["value"] = ValueEntry(value) }, language);

    /// <summary>The paper's judge: does one opinion reflect one value? Yes or No (in the language's words), at temperature 0.</summary>
    public static Prompt<bool> PerValue(ValueTheory theory, string text, ValueDimension value, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        return new PromptRequest(
            PerValueRole,
            Version + language.PromptTag,
            [.. RenderPerValue(theory, text, value, language)],
            PerValueFields(text, value, language)
        ).Reading(r => ParsePerValue(r, language)) with
        {
            Options = new ChatOptions { Temperature = 0 },
            Reminder = e => PerValueReminder(e, language),
        };
    }

    public static IList<ChatMessage> RenderPerValue(ValueTheory theory, string text, ValueDimension value, PromptLanguage? language = null)
    {
        language ??= PromptLanguage.English;
        var user = language.Templates.Render("judge.per_value", ("name", value.Name), ("definition", value.Definition), ("text", text));
        return [new ChatMessage(ChatRole.System, SystemPrompt(theory, language)), new ChatMessage(ChatRole.User, user)];
    }

    public static string PerValueReminder(string error, PromptLanguage? language = null) =>
        (language ?? PromptLanguage.English).Templates.Render("judge.per_value_reminder", ("error", error));

    /// <summary>Reads the judge's yes or no: the first yes/no-like word of the language wins ("Label: **Yes**", "No, it does not", "是",
    /// "true").</summary>
    public static ReplyParse<bool> ParsePerValue(string? reply, PromptLanguage? language = null)
    {
        if (string.IsNullOrWhiteSpace(reply))
            return ReplyParse<bool>.Failure("empty reply");
        var words = (language ?? PromptLanguage.English).Parsing;
        var text = ReplyText.StripMarkdown(reply.Replace('\n', ' '));
        var m = words.JudgeAnswer.Match(text);
        if (!m.Success)
            return ReplyParse<bool>.Failure("no Yes or No found");
        return ReplyParse<bool>.Success(words.JudgeYes.Contains(m.Value.ToLowerInvariant()));
    }

    // ---- shared ---------------------------------------------------------------------------------

    /// <summary>Maps a label to the theory's code: the code itself, the name or the abbreviation, in any case
    /// or punctuation ("Self-Direction", "SDI", "self direction"). Null when it names no value.</summary>
    public static string? Resolve(ValueTheory theory, string label)
    {
        var f = ReplyText.Fold(label);
        if (f.Length == 0)
            return null;
        foreach (var v in theory.Values)
        {
            if (ReplyText.Fold(v.Code) == f || ReplyText.Fold(v.Name) == f || ReplyText.Fold(v.Abbreviation) == f)
                return v.Code;
        }
        // A theory in another language also answers to its English names.
        return theory.Original is { } original ? Resolve(original, label) : null;
    }

    internal static IEnumerable<string> Labels(JsonElement labels)
    {
        switch (labels.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var l in labels.EnumerateArray())
                {
                    if (l.ValueKind == JsonValueKind.String)
                        yield return l.GetString()!;
                    else if (l.ValueKind == JsonValueKind.Object && Property(l, "code") is { ValueKind: JsonValueKind.String } c)
                        yield return c.GetString()!;
                }
                break;
            case JsonValueKind.Object:
                // {"power": true, "security": false} or {"power": 1} or {"power": "yes"}
                foreach (var p in labels.EnumerateObject())
                {
                    var on = p.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.Number => p.Value.TryGetDouble(out var d) && d > 0,
                        JsonValueKind.String => p.Value.GetString()?.Trim().ToLowerInvariant() is "yes" or "true" or "1",
                        _ => false,
                    };
                    if (on)
                        yield return p.Name;
                }
                break;
            case JsonValueKind.String:
                foreach (
                    var part in labels
                        .GetString()!
                        .Split([',', ';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                )
                    yield return part;
                break;
        }
    }

    internal static bool IsNone(string label, ParserWords words) =>
        ReplyText.Fold(label) is var f && (f.Length == 0 || words.NoneLabels.Contains(f));

    internal static JsonElement? Property(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value;
        }
        return null;
    }

    private static int? ReadIndex(JsonElement e) =>
        e.ValueKind switch
        {
            JsonValueKind.Number when e.TryGetInt32(out var i) => i,
            JsonValueKind.String
                when int.TryParse(
                    e.GetString(),
                    System.Globalization.NumberStyles.Integer,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var i
                ) => i,
            _ => null,
        };
}
