using System.Text.Json;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Prompts;

/// <summary>
/// The JSON written without reflection (prompt fields, the judge's response schema, stored opinions and labels)
/// is the very text the reflection-based serializer wrote before, so fields the simulated pool reads, cache keys
/// and stored rows do not change: escaping of quotes, markup and non-ASCII text, key order, numbers, nesting.
/// </summary>
public sealed class PlainJsonTests
{
    private const string Awkward = "Should \"town\" <b>ban</b> cars & vans? 城市 — ünïcödé\n\t\\ 😀";

    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");

    [Fact]
    public void Opinion_fields_are_the_text_the_serializer_wrote()
    {
        foreach (var language in new[] { PromptLanguage.English, PromptLanguages.Get("zh") })
        {
            var plain = OpinionPrompt.Fields(Awkward, 3, language);
            var fields = new Dictionary<string, object> { ["question"] = Awkward, ["opinions"] = 3 };
            if (!language.IsBuiltInEnglish)
                fields[PromptRequest.LanguageField] = language.Code;
            Assert.Equal(JsonSerializer.SerializeToElement(fields).GetRawText(), plain.GetRawText());
        }
    }

    [Fact]
    public void Judge_fields_and_schema_are_the_text_the_serializer_wrote()
    {
        IReadOnlyList<string> opinions = [Awkward, "plain", ""];
        var batched = new Dictionary<string, object> { ["opinions"] = opinions, ["values"] = ValueJudgePrompt.ValueList(Schwartz) };
        Assert.Equal(
            JsonSerializer.SerializeToElement(batched).GetRawText(),
            ValueJudgePrompt.BatchedFields(Schwartz, opinions).GetRawText()
        );
        var question = new Dictionary<string, object> { ["question"] = Awkward, ["values"] = ValueJudgePrompt.ValueList(Schwartz) };
        Assert.Equal(JsonSerializer.SerializeToElement(question).GetRawText(), QuestionValuesPrompt.Fields(Schwartz, Awkward).GetRawText());

        var schema = Assert.IsType<ChatResponseFormatJson>(ValueJudgePrompt.BatchedFormat(Schwartz)).Schema!.Value.GetRawText();
        Assert.Contains("\"enum\":[\"self_direction\"", schema, StringComparison.Ordinal);
        Assert.Equal(Reflected(schema), schema);
    }

    [Fact]
    public void Values_it_does_not_know_are_written_by_the_serializer()
    {
        var fields = new Dictionary<string, object?>
        {
            ["score"] = 0.1 + 0.2,
            ["when"] = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["none"] = null,
            ["flag"] = true,
        };
        Assert.Equal(JsonSerializer.SerializeToElement(fields).GetRawText(), PlainJson.ToElement(fields).GetRawText());
    }

    [Fact]
    public void Stored_opinions_and_labels_are_the_text_the_serializer_wrote()
    {
        var opinions = new[] { new StoredOpinion(Awkward, "because \"why\" 因为"), new StoredOpinion("two", "") };
        var json = JsonSerializer.Serialize(opinions.Select(o => o), StoredJson.Default.IEnumerableStoredOpinion);
        Assert.Equal(JsonSerializer.Serialize(opinions.Select(o => o)), json);
        Assert.Equal(opinions, JsonSerializer.Deserialize(json, StoredJson.Default.ListStoredOpinion));

        string[][] labels =
        [
            ["universalism", "benevolence"],
            [],
            ["self_direction"],
        ];
        var text = JsonSerializer.Serialize(labels, StoredJson.Default.IEnumerableStringArray);
        Assert.Equal(JsonSerializer.Serialize(labels), text);
        Assert.Equal(labels, JsonSerializer.Deserialize(text, StoredJson.Default.ListStringArray));
    }

    /// <summary>The schema as the reflection-based serializer writes the same nested dictionaries (re-read from its text).</summary>
    private static string Reflected(string schema) =>
        JsonSerializer.SerializeToElement(ToPlain(JsonDocument.Parse(schema).RootElement)).GetRawText();

    private static object ToPlain(JsonElement e) =>
        e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
            JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToArray(),
            JsonValueKind.String => e.GetString()!,
            JsonValueKind.Number => e.GetInt32(),
            JsonValueKind.False => false,
            JsonValueKind.True => true,
            _ => throw new InvalidOperationException(e.ValueKind.ToString()),
        };
}
