using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Simulated;

public sealed class DeterminismTests
{
    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");
    private static readonly Dictionary<string, double> Profile = new()
    {
        ["universalism"] = 0.9,
        ["power"] = 0.2,
        ["hedonism"] = 0.6,
    };

    [Fact]
    public async Task Same_seed_role_fields_and_sample_give_the_same_text_from_separate_clients()
    {
        var a = SimulatedCalls.Client("a", Profile, Schwartz, seed: 7);
        var b = SimulatedCalls.Client("a", Profile, Schwartz, seed: 7);
        foreach (var q in SyntheticQuestions.Generic.Take(10))
        {
            var fields = new { question = q + " in Japan", opinions = 3 };
            Assert.Equal(
                await SimulatedCalls.AskAsync(a, PromptRoles.Opinion, fields, sample: 2),
                await SimulatedCalls.AskAsync(b, PromptRoles.Opinion, fields, sample: 2)
            );
        }
    }

    [Fact]
    public async Task Field_order_and_whitespace_do_not_change_the_answer()
    {
        var a = SimulatedCalls.Client("a", Profile, Schwartz, seed: 7);
        async Task<string> Ask(string json)
        {
            var options = new CallContext("r", "s", PromptRoles.Opinion, "v1", 0)
            {
                Fields = System.Text.Json.JsonDocument.Parse(json).RootElement,
            }.Apply();
            return (await a.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], options, TestContext.Current.CancellationToken)).Text;
        }
        Assert.Equal(
            await Ask("""{"question":"Should zoos be banned in Kenya?","opinions":3}"""),
            await Ask("""{ "opinions": 3.0,   "question": "Should zoos be banned in Kenya?" }""")
        );
    }

    [Fact]
    public async Task Different_samples_and_seeds_vary_the_text()
    {
        var a = SimulatedCalls.Client("a", Profile, Schwartz, seed: 7);
        var b = SimulatedCalls.Client("a", Profile, Schwartz, seed: 8);
        var fields = new { question = "Should cars be banned from city centres in Germany?", opinions = 3 };
        var bySample = new HashSet<string>();
        for (var s = 0; s < 10; s++)
            bySample.Add(await SimulatedCalls.AskAsync(a, PromptRoles.Opinion, fields, sample: s));
        Assert.True(bySample.Count >= 5, $"only {bySample.Count} distinct answers over 10 samples");
        var bySeed = new HashSet<string>();
        for (var s = 0; s < 5; s++)
        {
            bySeed.Add(
                await SimulatedCalls.AskAsync(a, PromptRoles.Opinion, fields, sample: s)
                    + "|"
                    + await SimulatedCalls.AskAsync(b, PromptRoles.Opinion, fields, sample: s)
            );
        }
        Assert.DoesNotContain(bySeed, pair => pair.Split('|')[0] == pair.Split('|')[1]);
    }

    [Fact]
    public async Task A_model_without_a_seed_is_still_deterministic_by_its_name()
    {
        var cfg = new Adaem.Core.Configuration.ModelConfig
        {
            Name = "noseed",
            Provider = "simulated",
            Profile = Profile,
        };
        var a = new Adaem.Providers.Simulated.SimulatedChatClient(cfg, Schwartz);
        var b = new Adaem.Providers.Simulated.SimulatedChatClient(cfg, Schwartz);
        var other = new Adaem.Providers.Simulated.SimulatedChatClient(cfg with { Name = "other" }, Schwartz);
        var fields = new { question = "Should tipping be abolished in the United States?", opinions = 3 };
        Assert.Equal(
            await SimulatedCalls.AskAsync(a, PromptRoles.Opinion, fields),
            await SimulatedCalls.AskAsync(b, PromptRoles.Opinion, fields)
        );
        Assert.NotEqual(
            await SimulatedCalls.AskAsync(other, PromptRoles.Opinion, fields),
            await SimulatedCalls.AskAsync(a, PromptRoles.Opinion, fields)
        );
    }
}
