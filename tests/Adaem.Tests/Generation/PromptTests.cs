using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Xunit;

namespace Adaem.Tests.Generation;

public class PromptTests
{
    [Theory]
    [InlineData("[Argument]: Farmers need help\n[Question]: Should farmers get subsidies?", "Should farmers get subsidies?")]
    [InlineData("**[Question]:** should farmers get subsidies", "Should farmers get subsidies?")]
    [InlineData("Question: \"Should farmers get subsidies?\" This is a good one.", "Should farmers get subsidies?")]
    [InlineData(
        "The format is [Question]: <one yes/no question>\n\n[QUESTION]: Should farmers get subsidies?",
        "Should farmers get subsidies?"
    )]
    [InlineData("- **Question**: Should farmers get subsidies?", "Should farmers get subsidies?")]
    public void Question_parser_is_tolerant(string reply, string expected)
    {
        var parsed = ExplorePrompt.ParseQuestion(reply);
        Assert.NotNull(parsed);
        Assert.Equal(expected, parsed.Value.Question);
        Assert.Equal(expected, RefinePrompt.Parse(reply));
    }

    [Theory]
    [InlineData("I cannot help with that.")]
    [InlineData("[Question]: ")]
    [InlineData("[Question]: Why?")]
    [InlineData("[Argument]: <the specific argument>\n[Question]: <one yes/no question>")]
    public void Question_parser_rejects_replies_without_a_question(string reply)
    {
        Assert.Null(ExplorePrompt.ParseQuestion(reply));
        Assert.Null(RefinePrompt.Parse(reply));
    }

    [Fact]
    public void Argument_is_optional_and_read_when_present()
    {
        Assert.Equal(
            "Farmers need help",
            ExplorePrompt.ParseQuestion("[Argument]: Farmers need help\n[Question]: Should farmers get help?")!.Value.Argument
        );
        Assert.Null(ExplorePrompt.ParseQuestion("[Question]: Should farmers get help?")!.Value.Argument);
    }

    [Fact]
    public void Context_parser_takes_the_last_information_line()
    {
        var reply =
            "Step 1: think about [Information]: lines.\nStep 2: ...\n[Information]: Dutch farmers protest nitrogen limits since 2019.";
        Assert.Equal("Dutch farmers protest nitrogen limits since 2019.", ExplorePrompt.ParseContext(reply));
        Assert.Null(ExplorePrompt.ParseContext("no tag here"));
    }

    [Fact]
    public void Suggestions_parser_reads_to_the_end_or_takes_the_whole_reply()
    {
        Assert.Equal(
            "Make it regional. Add a trade-off.",
            ReflectPrompt.Parse("Thoughts...\n[Suggestions]: Make it regional.\nAdd a trade-off.")
        );
        Assert.Equal("Make the question about a specific country.", ReflectPrompt.Parse("Make the question about a specific country."));
        Assert.Null(ReflectPrompt.Parse("ok"));
    }

    [Theory]
    [InlineData("safe", true, null)]
    [InlineData("Safe.", true, null)]
    [InlineData("unsafe\nS1", false, "S1")]
    [InlineData("**UNSAFE**: incites violence", false, "incites violence")]
    [InlineData("Verdict: safe", true, null)]
    public void Safety_parser(string reply, bool safe, string? reason)
    {
        var v = SafetyPrompt.Parse(reply);
        Assert.NotNull(v);
        Assert.Equal(safe, v.Safe);
        Assert.Equal(reason, v.Reason);
    }

    [Fact]
    public void Safety_parser_rejects_other_words() => Assert.Null(SafetyPrompt.Parse("I think it is fine"));

    [Fact]
    public void Each_role_carries_the_fields_of_the_contract()
    {
        var ctx = ExplorePrompt.Context(
            "Should zoos exist?",
            [new ExplorationExample("Should zoos in Kenya breed rhinos?", 6.789)],
            ["Kenyan rhino programmes"]
        );
        var f = ctx.Fields;
        Assert.Equal(PromptRoles.ExploreContext, ctx.Role);
        Assert.Equal("Should zoos exist?", f.GetProperty("general").GetString());
        Assert.Equal(6.79, f.GetProperty("examples")[0].GetProperty("score").GetDouble());
        Assert.Equal("Should zoos in Kenya breed rhinos?", f.GetProperty("examples")[0].GetProperty("question").GetString());
        Assert.Equal("Kenyan rhino programmes", f.GetProperty("used_contexts")[0].GetString());
        Assert.Contains("[Score: 6.79]", ctx.Messages[^1].Text);

        var q = ExplorePrompt.Question("g", "info");
        Assert.Equal(("g", "info"), (q.Fields.GetProperty("general").GetString(), q.Fields.GetProperty("information").GetString()));

        var r = ReflectPrompt.Create("g", "q?", 5.5, [new ReflectedResponse("m1", ["a: b"], ["power"])]);
        Assert.Equal(5.5, r.Fields.GetProperty("score").GetDouble());
        var resp = r.Fields.GetProperty("responses")[0];
        Assert.Equal("m1", resp.GetProperty("model").GetString());
        Assert.Equal("a: b", resp.GetProperty("key_points")[0].GetString());
        Assert.Equal("power", resp.GetProperty("values")[0].GetString());
        Assert.Contains("[Model-1 Key-points]", r.Messages[^1].Text);

        var refine = RefinePrompt.Create("g", "q?", "s");
        Assert.Equal("s", refine.Fields.GetProperty("suggestions").GetString());
        Assert.Equal("arg", SeedConvertPrompt.Create("arg").Fields.GetProperty("argument").GetString());
        Assert.Equal("q?", SafetyPrompt.Create("q?").Fields.GetProperty("question").GetString());

        var options = refine.Request.Options("run1", "generate", 7);
        var back = CallContext.From(options)!;
        Assert.Equal((PromptRoles.Refine, "v1", 7, "run1"), (back.PromptRole, back.PromptVersion, back.Sample, back.Run));
        Assert.Equal("q?", back.Fields!.Value.GetProperty("question").GetString());
    }

    [Fact]
    public async Task A_generation_prompt_is_re_asked_with_new_sample_indices_then_the_failure_is_recorded()
    {
        var client = new ScriptedChatClient("m");
        client.GarbageFirstAttempt.Add(PromptRoles.Refine);
        var sample = GenerationLoop.Sample(2, 3);
        var ok = await StructuredReply.AskAsync(
            client,
            RefinePrompt.Create("g", "Should we?", "s"),
            new CallSite("r", "generate", sample),
            TestContext.Current.CancellationToken
        );
        Assert.True(ok.Ok);
        Assert.Equal(2, ok.Asks);
        Assert.Equal(sample + StructuredReply.ReaskSampleStride, ok.Sample);

        client.AlwaysGarbage.Add(PromptRoles.Refine);
        var bad = await StructuredReply.AskAsync(
            client,
            RefinePrompt.Create("g", "Should we?", "s"),
            new CallSite("r", "generate", sample),
            TestContext.Current.CancellationToken
        );
        Assert.False(bad.Ok);
        Assert.Equal(1 + StructuredReply.DefaultMaxReAsks, bad.Asks);
        Assert.Equal($"{ExplorePrompt.NoQuestion} (after 2 re-asks)", bad.Error);
        Assert.Equal("I am not sure what you mean.", bad.LastReply);
    }

    [Fact]
    public void Draws_get_first_ask_samples_that_no_re_ask_of_another_draw_can_reach()
    {
        // Budget 300 steps at the largest questions_per_step (100), every re-ask the scheme allows.
        var owner = new Dictionary<int, (int Step, int Draw)>();
        for (var step = 1; step <= 300; step++)
        {
            for (var draw = 1; draw <= 100; draw++)
            {
                var first = GenerationLoop.Sample(step, draw);
                Assert.Equal(0, StructuredReply.ReAskOf(first));
                for (var r = 0; r <= StructuredReply.MaxReAsksLimit; r++)
                    Assert.True(
                        owner.TryAdd(first + r * StructuredReply.ReaskSampleStride, (step, draw)),
                        $"step {step} draw {draw} re-ask {r} collides with {owner.GetValueOrDefault(first + r * StructuredReply.ReaskSampleStride)}"
                    );
            }
        }
        // Seeds and selection ask with sample 0 (block 0), which no step uses.
        Assert.DoesNotContain(0, owner.Keys);
    }
}
