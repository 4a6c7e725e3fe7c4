using Adaem.Core.Prompts;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>The judge prompts and their parsers: batched JSON, per-value Yes/No, and the question's own values.</summary>
public sealed class JudgePromptTests
{
    private static readonly Adaem.Core.Theory.ValueTheory Theory = Respondents.Theory;

    [Fact]
    public void System_prompt_lists_every_value_with_its_definition()
    {
        var system = ValueJudgePrompt.SystemPrompt(Theory);
        foreach (var v in Theory.Values)
        {
            Assert.Contains(v.Code, system);
            Assert.Contains(v.Definition, system);
        }
        var batched = ValueJudgePrompt.RenderBatched(Theory, ["a: b", "c: d"]);
        Assert.Equal(system, batched[0].Text);
        Assert.Contains("Opinion 2: c: d", batched[1].Text);
    }

    [Fact]
    public void Fields_follow_the_role_contracts()
    {
        var batched = ValueJudgePrompt.BatchedFields(Theory, ["x", "y"]);
        Assert.Equal(["x", "y"], batched.GetProperty("opinions").EnumerateArray().Select(e => e.GetString()));
        var values = batched.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(Theory.Count, values.Count);
        Assert.Equal(Theory.Values[0].Code, values[0].GetProperty("code").GetString());
        Assert.Equal(Theory.Values[0].Name, values[0].GetProperty("name").GetString());
        Assert.Equal(Theory.Values[0].Definition, values[0].GetProperty("definition").GetString());

        var per = ValueJudgePrompt.PerValueFields("text", Theory.Values[3]);
        Assert.Equal("text", per.GetProperty("text").GetString());
        Assert.Equal(Theory.Values[3].Code, per.GetProperty("value").GetProperty("code").GetString());

        var q = QuestionValuesPrompt.Fields(Theory, "Q?");
        Assert.Equal("Q?", q.GetProperty("question").GetString());
        Assert.Equal(Theory.Count, q.GetProperty("values").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"opinions":[{"index":1,"values":["power","security"]},{"index":2,"values":[]}]}""", "power,security|")]
    [InlineData(
        """Here you go:\n```json\n{"opinions":[{"index":2,"values":["tradition"]},{"index":1,"values":["universalism"]}]}\n```""",
        "universalism|tradition"
    )]
    [InlineData("""[{"index":1,"values":["Self-Direction","SDI"]},{"index":2,"values":["none"]}]""", "self_direction|")]
    [InlineData(
        """{"opinions":[{"index":"1","values":{"power":true,"hedonism":false}},{"index":"2","values":{"benevolence":1}}]}""",
        "power|benevolence"
    )]
    [InlineData(
        """{"opinions":[{"index":1,"values":"achievement, power"},{"index":2,"values":"Universalism"}]}""",
        "achievement,power|universalism"
    )]
    [InlineData("""{"opinions":[{"values":["stimulation"]},{"values":["hedonism"]}],}""", "stimulation|hedonism")]
    [InlineData(
        """{"opinions":[{"index":1,"values":["power"]},{"index":1,"values":["security"]},{"index":2,"values":[]}]}""",
        "power,security|"
    )]
    public void Batched_reads_tolerantly(string reply, string expected)
    {
        var parse = ValueJudgePrompt.ParseBatched(reply.Replace("\\n", "\n", StringComparison.Ordinal), Theory, 2);
        Assert.True(parse.Ok, parse.Error);
        var got = string.Join('|', parse.Value!.Select(s => string.Join(',', s.Order(StringComparer.Ordinal))));
        Assert.Equal(expected, got);
    }

    [Theory]
    [InlineData("", "empty reply")]
    [InlineData("I think the first opinion is about power.", "no JSON found")]
    [InlineData("""{"labels":[]}""", "JSON has no")]
    [InlineData("""{"opinions":[{"index":1,"values":["power"]}]}""", "no labels for opinion 2")]
    [InlineData("""{"opinions":[{"index":1},{"index":2,"values":[]}]}""", "opinion 1 has no")]
    public void Batched_rejects_what_it_cannot_use(string reply, string error)
    {
        var parse = ValueJudgePrompt.ParseBatched(reply, Theory, 2);
        Assert.False(parse.Ok);
        Assert.Contains(error, parse.Error);
    }

    [Fact]
    public void Batched_notes_unknown_labels()
    {
        var parse = ValueJudgePrompt.ParseBatched("""{"opinions":[{"index":1,"values":["power","greed"]}]}""", Theory, 1);
        Assert.True(parse.Ok);
        Assert.Equal(["power"], parse.Value![0]);
        Assert.Contains(parse.Notes, n => n.Contains("greed", StringComparison.Ordinal));
    }

    [Fact]
    public void Batched_format_is_a_json_schema_with_the_value_codes()
    {
        var format = Assert.IsType<Microsoft.Extensions.AI.ChatResponseFormatJson>(
            ValueJudgePrompt.BatchedFormat(Theory),
            exactMatch: false
        );
        var schema = format.Schema!.Value.GetRawText();
        foreach (var v in Theory.Values)
            Assert.Contains($"\"{v.Code}\"", schema);
    }

    [Theory]
    [InlineData("Yes", true)]
    [InlineData("No", false)]
    [InlineData("**Yes**.", true)]
    [InlineData("[Label]: No", false)]
    [InlineData("no, the text is about cost, not tradition", false)]
    [InlineData("YES - it appeals to security.", true)]
    [InlineData("true", true)]
    [InlineData("是", true)]
    [InlineData("否", false)]
    public void Per_value_reads_yes_or_no(string reply, bool expected)
    {
        var parse = ValueJudgePrompt.ParsePerValue(reply);
        Assert.True(parse.Ok, parse.Error);
        Assert.Equal(expected, parse.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("The text reflects concern for others.")]
    public void Per_value_fails_without_an_answer(string reply) => Assert.False(ValueJudgePrompt.ParsePerValue(reply).Ok);

    [Fact]
    public void Per_value_prompt_names_the_value_and_the_text()
    {
        var messages = ValueJudgePrompt.RenderPerValue(Theory, "Protect the old ways", Theory["tradition"]);
        Assert.Contains("[Text]: Protect the old ways", messages[1].Text);
        Assert.Contains("[Value]: Tradition", messages[1].Text);
        Assert.Contains("Yes or No", messages[1].Text);
    }

    [Theory]
    [InlineData("""{"values":["security","Tradition"]}""", "security,tradition")]
    [InlineData("""The question mainly carries: {"values": []}""", "")]
    [InlineData("""["POW"]""", "power")]
    public void Question_values_read(string reply, string expected)
    {
        var parse = QuestionValuesPrompt.Parse(reply, Theory);
        Assert.True(parse.Ok, parse.Error);
        Assert.Equal(expected, string.Join(',', parse.Value!.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Question_values_fail_on_prose() => Assert.False(QuestionValuesPrompt.Parse("It is about safety.", Theory).Ok);
}
