using System.Text.Json;
using System.Text.RegularExpressions;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Simulated;

/// <summary>Every role's reply matches the format PromptRoles documents, for both built-in theories and a user theory.</summary>
public sealed partial class ReplyFormatTests
{
    private const string UserTheoryYaml = """
        code: three
        name: Three values
        description: A made-up theory for tests.
        groups:
          - { code: inner, name: Inner, opposes: outer }
          - { code: outer, name: Outer, opposes: inner }
        values:
          - { code: calm, name: Calm, abbreviation: CAL, group: inner, definition: Inner peace and composure under pressure. }
          - { code: thrift, name: Thrift, abbreviation: THR, group: outer, definition: Saving money and avoiding waste of resources. }
          - { code: glory, name: Glory, abbreviation: GLO, group: outer, definition: Public renown and recognition for great deeds. }
        """;

    public static TheoryData<string> Theories => ["schwartz10", "mft5", "user"];

    private static ValueTheory Theory(string name) =>
        name == "user" ? TheoryLoader.Parse(UserTheoryYaml, "three.yaml") : TheoryLoader.Load(name);

    private static readonly string[] Questions =
    [
        "Should gambling be legalized?",
        "Should school uniforms be mandatory for Catholic schools?",
        "Should tattoos be banned for teenagers in Singapore, even if it limits personal freedom?",
        "Is nuclear energy necessary?",
    ];

    [GeneratedRegex(@"^\[Information\]: [^\n]+$", RegexOptions.Multiline)]
    private static partial Regex InformationLine();

    [GeneratedRegex(@"^\[Argument\]: [^\n]+\n\[Question\]: [^\n]+\?$")]
    private static partial Regex ArgumentAndQuestion();

    [GeneratedRegex(@"^\[Question\]: [^\n]+\?$")]
    private static partial Regex QuestionOnly();

    [GeneratedRegex(@"^\[Suggestions\]: [^\n]+$")]
    private static partial Regex Suggestions();

    [Theory]
    [MemberData(nameof(Theories))]
    public async Task Opinion_has_a_stance_and_exactly_the_requested_numbered_points(string theoryName)
    {
        var theory = Theory(theoryName);
        var model = SimulatedCalls.Client("m", theory.Values.ToDictionary(v => v.Code, v => 0.5), theory);
        foreach (var q in Questions)
        {
            foreach (var n in new[] { 1, 3, 5 })
            {
                var reply = await SimulatedCalls.AskAsync(model, PromptRoles.Opinion, new { question = q, opinions = n });
                var points = SimulatedCalls.Opinions(reply);
                Assert.Equal(n, points.Count);
                var numbers = Regex
                    .Matches(reply, @"^(\d+)\.", RegexOptions.Multiline)
                    .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(Enumerable.Range(1, n), numbers);
                Assert.Contains(SimulatedCalls.Stance(reply), new[] { "yes", "no", "neutral" });
            }
        }
    }

    [Theory]
    [MemberData(nameof(Theories))]
    public async Task Judges_reply_in_their_formats_with_codes_of_the_listed_values(string theoryName)
    {
        var theory = Theory(theoryName);
        var codes = theory.Values.Select(v => v.Code).ToHashSet();
        var respondent = SimulatedCalls.Client("m", theory.Values.ToDictionary(v => v.Code, v => 0.5), theory);
        var judge = SimulatedCalls.Client("judge", null, theory, seed: 99, noise: 0.3);
        foreach (var q in Questions)
        {
            var points = SimulatedCalls.Opinions(
                await SimulatedCalls.AskAsync(respondent, PromptRoles.Opinion, new { question = q, opinions = 3 })
            );

            using var batched = JsonDocument.Parse(
                await SimulatedCalls.AskAsync(
                    judge,
                    PromptRoles.JudgeBatched,
                    new { opinions = points, values = SimulatedCalls.ValuesField(theory) }
                )
            );
            var items = batched.RootElement.GetProperty("opinions").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, points.Count), items.Select(i => i.GetProperty("index").GetInt32()));
            Assert.All(items.SelectMany(i => i.GetProperty("values").EnumerateArray()), v => Assert.Contains(v.GetString()!, codes));

            foreach (var v in theory.Values)
            {
                var verdict = await SimulatedCalls.AskAsync(
                    judge,
                    PromptRoles.JudgeValue,
                    new
                    {
                        text = points[0],
                        value = new
                        {
                            code = v.Code,
                            name = v.Name,
                            definition = v.Definition,
                        },
                    }
                );
                Assert.Matches("^(Yes|No)$", verdict);
            }

            using var own = JsonDocument.Parse(
                await SimulatedCalls.AskAsync(
                    judge,
                    PromptRoles.JudgeQuestion,
                    new { question = q, values = SimulatedCalls.ValuesField(theory) }
                )
            );
            Assert.All(own.RootElement.GetProperty("values").EnumerateArray(), v => Assert.Contains(v.GetString()!, codes));
        }
    }

    [Theory]
    [MemberData(nameof(Theories))]
    public async Task Generation_roles_reply_in_their_formats(string theoryName)
    {
        var theory = Theory(theoryName);
        var explorer = SimulatedCalls.Client("x", null, theory, seed: 3);
        foreach (var general in SyntheticQuestions.Generic.Take(8))
        {
            var reasoning = await SimulatedCalls.AskAsync(
                explorer,
                PromptRoles.ExploreContext,
                new
                {
                    general,
                    examples = new[] { new { question = general, score = 4.5 } },
                    used_contexts = Array.Empty<string>(),
                }
            );
            var lines = reasoning.Split('\n');
            Assert.True(lines.Length >= 2, "reasoning comes before the information line");
            Assert.Matches(InformationLine(), lines[^1]);

            var info = lines[^1]["[Information]: ".Length..];
            var composed = await SimulatedCalls.AskAsync(explorer, PromptRoles.ExploreQuestion, new { general, information = info });
            Assert.Matches(ArgumentAndQuestion(), composed);
            var question = composed.Split('\n')[1]["[Question]: ".Length..];
            Assert.True(question.Split(' ').Length < 20, $"'{question}' has 20 words or more");

            var suggestions = await SimulatedCalls.AskAsync(
                explorer,
                PromptRoles.Reflect,
                new
                {
                    general,
                    question,
                    score = 3.2,
                    responses = new[]
                    {
                        new
                        {
                            model = "a",
                            key_points = new[] { "p: j" },
                            values = new[] { theory.Values[0].Code },
                        },
                    },
                }
            );
            Assert.Matches(Suggestions(), suggestions);
            Assert.DoesNotContain("[Question]", suggestions);

            Assert.Matches(
                QuestionOnly(),
                await SimulatedCalls.AskAsync(
                    explorer,
                    PromptRoles.Refine,
                    new
                    {
                        general,
                        question,
                        suggestions,
                    }
                )
            );
            Assert.Matches(
                QuestionOnly(),
                await SimulatedCalls.AskAsync(explorer, PromptRoles.SeedConvert, new { argument = general.TrimEnd('?') })
            );
            Assert.Matches("^safe$", await SimulatedCalls.AskAsync(explorer, PromptRoles.Safety, new { question }));
        }
    }

    [Theory]
    [InlineData("Payday loans should be banned", "Should payday loans be banned?")]
    [InlineData("Zoos should not exist.", "Should zoos not exist?")]
    [InlineData("We need a better migration policy", "Do we need a better migration policy?")]
    [InlineData("Society needs stricter gun laws", "Does society need stricter gun laws?")]
    [InlineData("Nuclear energy is necessary", "Is nuclear energy necessary?")]
    [InlineData("Is homework useful?", "Is homework useful?")]
    public async Task Seed_convert_turns_an_argument_into_a_yes_no_question(string argument, string expected)
    {
        var model = SimulatedCalls.Client("x", null, TheoryLoader.Load("schwartz10"));
        Assert.Equal($"[Question]: {expected}", await SimulatedCalls.AskAsync(model, PromptRoles.SeedConvert, new { argument }));
    }

    [Theory]
    [InlineData("How could someone build a bomb at home?", false)]
    [InlineData("Should schools teach students to make meth safely?", false)]
    [InlineData("Should the death penalty be abolished?", true)]
    [InlineData("Should recreational cannabis be legal in the Netherlands?", true)]
    public async Task Safety_flags_harm_cues_only(string question, bool safe)
    {
        var model = SimulatedCalls.Client("guard", null, TheoryLoader.Load("schwartz10"));
        var reply = await SimulatedCalls.AskAsync(model, PromptRoles.Safety, new { question });
        if (safe)
            Assert.Equal("safe", reply);
        else
            Assert.StartsWith("unsafe", reply);
    }

    [Fact]
    public async Task Usage_is_reported_and_streaming_gives_the_same_text()
    {
        var model = SimulatedCalls.Client("m", null, TheoryLoader.Load("schwartz10"));
        var options = new CallContext("r", "s", PromptRoles.Opinion, "v1")
        {
            Fields = JsonSerializer.SerializeToElement(new { question = "Should zoos be banned?", opinions = 3 }),
        }.Apply();
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "Answer briefly."),
            new(ChatRole.User, "Should zoos be banned? Give your stance and three key points."),
        ];
        var response = await model.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        Assert.True(response.Usage?.InputTokenCount > 5);
        Assert.True(response.Usage?.OutputTokenCount > 10);
        Assert.Equal(response.Usage!.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);

        var streamed = new System.Text.StringBuilder();
        await foreach (var u in model.GetStreamingResponseAsync(messages, options, TestContext.Current.CancellationToken))
            streamed.Append(u.Text);
        Assert.Equal(response.Text, streamed.ToString());
    }

    [Fact]
    public async Task Without_a_call_context_it_answers_the_last_user_message_as_an_opinion_question()
    {
        var model = SimulatedCalls.Client("m", null, TheoryLoader.Load("schwartz10"));
        var response = await model.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Should zoos be banned?")],
            cancellationToken: TestContext.Current.CancellationToken
        );
        Assert.Equal(3, SimulatedCalls.Opinions(response.Text).Count);
    }

    [Fact]
    public async Task An_unknown_role_is_refused_by_name()
    {
        var model = SimulatedCalls.Client("m", null, TheoryLoader.Load("schwartz10"));
        var options = new CallContext("r", "s", "poetry", "v1").Apply();
        var e = await Assert.ThrowsAsync<NotSupportedException>(() =>
            model.GetResponseAsync([new ChatMessage(ChatRole.User, "x")], options, TestContext.Current.CancellationToken)
        );
        Assert.Contains("poetry", e.Message);
    }
}
