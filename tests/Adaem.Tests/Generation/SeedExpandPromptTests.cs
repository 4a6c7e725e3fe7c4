using Adaem.Core.Generation;
using Adaem.Core.Prompts;
using Xunit;

namespace Adaem.Tests.Generation;

public class SeedExpandPromptTests
{
    [Fact]
    public void Reads_numbered_one_line_proposals_in_order()
    {
        var parse = SeedExpandPrompt.Parse(
            "Here are new arguments:\n"
                + "1. [Argument]: Payday loans should be banned [Question]: Should payday loans be banned?\n"
                + "2) **[Argument]:** Zoos do more harm than good **[Question]:** Do zoos do more harm than good\n"
                + "- Argument: Space exploration deserves public money | Question: \"Should space exploration get public money?\""
        );
        Assert.True(parse.Ok);
        Assert.Equal(
            [
                new ProposedSeed("Payday loans should be banned", "Should payday loans be banned?"),
                new ProposedSeed("Zoos do more harm than good", "Do zoos do more harm than good?"),
                new ProposedSeed("Space exploration deserves public money", "Should space exploration get public money?"),
            ],
            parse.Value
        );
    }

    [Fact]
    public void Reads_the_question_on_the_line_after_its_argument()
    {
        var parse = SeedExpandPrompt.Parse(
            "1. [Argument]: Tipping should be abolished\n   [Question]: Should tipping be abolished?\n\n2. [Argument]: Cities should ban cars\n[Question]: Should cities ban cars?"
        );
        Assert.Equal(["Should tipping be abolished?", "Should cities ban cars?"], parse.Value!.Select(p => p.Question));
        Assert.Equal(["Tipping should be abolished", "Cities should ban cars"], parse.Value!.Select(p => p.Argument));
    }

    [Fact]
    public void Skips_arguments_without_a_question_and_repeats_with_notes()
    {
        var parse = SeedExpandPrompt.Parse(
            "1. [Argument]: Tipping should be abolished\n"
                + "2. [Argument]: Cities should ban cars [Question]: Should cities ban cars?\n"
                + "3. [Argument]: Cities should ban cars [Question]: Should cities ban cars?"
        );
        Assert.True(parse.Ok);
        Assert.Equal(["Should cities ban cars?"], parse.Value!.Select(p => p.Question));
        Assert.Equal(2, parse.Notes.Count);
        Assert.Contains(parse.Notes, n => n.Contains("no usable question", StringComparison.Ordinal));
        Assert.Contains(parse.Notes, n => n.Contains("repeated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I'd rather not propose controversial topics.")]
    [InlineData("1. [Argument]: <general argument> [Question]: <yes/no question>")]
    [InlineData("[Question]: Should cities ban cars?")]
    public void A_reply_without_any_proposal_is_a_failure(string reply)
    {
        var parse = SeedExpandPrompt.Parse(reply);
        Assert.False(parse.Ok);
        Assert.Equal(SeedExpandPrompt.NoProposals, parse.Error);
    }

    [Fact]
    public void The_prompt_carries_its_fields_and_the_reply_format()
    {
        var p = SeedExpandPrompt.Create("Economics & Business", ["Rent control should be abolished"], 4, ["Tipping should be abolished"]);
        Assert.Equal(PromptRoles.SeedExpand, p.Role);
        Assert.Equal("Economics & Business", p.Fields.GetProperty("category").GetString());
        Assert.Equal(4, p.Fields.GetProperty("count").GetInt32());
        Assert.Equal("Rent control should be abolished", p.Fields.GetProperty("examples")[0].GetString());
        Assert.Equal("Tipping should be abolished", p.Fields.GetProperty("used")[0].GetString());
        var user = p.Messages[^1].Text;
        Assert.Contains("Propose 4 new general arguments", user, StringComparison.Ordinal);
        Assert.Contains("1. [Argument]: <general argument> [Question]: <yes/no question>", user, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 20, 20, 20 }, 10, new[] { 4, 3, 3 })]
    [InlineData(new[] { 10, 30 }, 8, new[] { 2, 6 })]
    [InlineData(new[] { 1, 1, 98 }, 5, new[] { 0, 0, 5 })]
    [InlineData(new[] { 3, 7 }, 1, new[] { 0, 1 })]
    public void Quotas_follow_category_sizes_and_add_up(int[] sizes, int count, int[] expected)
    {
        var q = SeedExpansion.Quotas(sizes, count);
        Assert.Equal(expected, q);
        Assert.Equal(count, q.Sum());
    }
}
