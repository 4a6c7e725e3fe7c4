using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated pool's answer to the translate role. It cannot translate: it returns the source question marked with
/// the target language, "[zh] Should gambling be legalized in Japan?", so a reader can see what happened and the
/// parser's echo check passes. Respondents, explorers and the judge read a question through the mark
/// (<see cref="Strip"/>): its words, contexts and value cues are those of the source, and the mark is left out of
/// every random stream, so a simulated respondent without a language_bias answers a translated question exactly as
/// it answers the source. A language effect exists offline only where a model's language_bias plants one.
/// See docs/simulated-pool.md.
/// </summary>
internal static partial class SimulatedTranslation
{
    [GeneratedRegex(@"^\[[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\] ", RegexOptions.CultureInvariant)]
    private static partial Regex Mark();

    /// <summary>The "translation" of <paramref name="text"/> into <paramref name="target"/>: the text without an earlier mark, marked with
    /// the target's tag.</summary>
    public static string Translate(string text, string target) => $"[{target}] {Strip(text.Trim())}";

    /// <summary>The text without its translation mark (unchanged when it has none).</summary>
    public static string Strip(string text)
    {
        while (Mark().Match(text) is { Success: true } m)
            text = text[m.Length..];
        return text;
    }

    /// <summary>
    /// A call's fields as the random stream reads them: without the language field and without translation marks in its
    /// texts. Fields with neither are returned as their raw text, so English calls keep the streams they always had.
    /// </summary>
    public static string StreamKey(JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
            return fields.GetRawText();
        var hasLanguage = fields.TryGetProperty(Core.Prompts.PromptRequest.LanguageField, out _);
        var hasMark = HasMark(fields);
        if (!hasLanguage && !hasMark)
            return fields.GetRawText();
        var node = JsonObject.Create(fields)!;
        node.Remove(Core.Prompts.PromptRequest.LanguageField);
        return hasMark ? StripAll(node)!.ToJsonString() : node.ToJsonString();
    }

    private static bool HasMark(JsonElement e) =>
        e.ValueKind switch
        {
            JsonValueKind.String => Mark().IsMatch(e.GetString() ?? ""),
            JsonValueKind.Object => e.EnumerateObject().Any(p => HasMark(p.Value)),
            JsonValueKind.Array => e.EnumerateArray().Any(HasMark),
            _ => false,
        };

    private static JsonNode? StripAll(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    o[key] = StripAll(o[key]?.DeepClone());
                return o;
            case JsonArray a:
                return new JsonArray(a.Select(x => StripAll(x?.DeepClone())).ToArray());
            case JsonValue v when v.TryGetValue<string>(out var s):
                return JsonValue.Create(Strip(s));
            default:
                return node;
        }
    }
}
