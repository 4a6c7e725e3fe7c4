using System.Text.RegularExpressions;
using Adaem.Core.Analysis;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Simulated;

public sealed partial class ExplorerTests
{
    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");

    [GeneratedRegex(@"^\[Information\]: (?<info>.+)$", RegexOptions.Multiline)]
    private static partial Regex Information();

    [GeneratedRegex(@"^\[Question\]: (?<q>.+)$", RegexOptions.Multiline)]
    private static partial Regex QuestionLine();

    private static async Task<string> ContextAsync(IChatClient explorer, string general, IReadOnlyList<string> used) =>
        Information()
            .Match(
                await SimulatedCalls.AskAsync(
                    explorer,
                    PromptRoles.ExploreContext,
                    new
                    {
                        general,
                        examples = Array.Empty<object>(),
                        used_contexts = used,
                    }
                )
            )
            .Groups["info"]
            .Value;

    [Fact]
    public async Task Explore_context_never_repeats_a_used_context_and_combines_contexts_once_the_bank_is_used_up()
    {
        var explorer = SimulatedCalls.Client("x", null, Schwartz, seed: 3);
        var used = new List<string>();
        for (var k = 0; k < ContextBank.Entries.Count + 10; k++)
        {
            var info = await ContextAsync(explorer, "Should zoos be banned?", used);
            Assert.DoesNotContain(info, used);
            used.Add(info);
        }
        Assert.All(ContextBank.Entries, c => Assert.Contains(used, u => u.Contains(c.Fact, StringComparison.Ordinal)));
        Assert.Equal(10, used.Count(u => ContextBank.Entries.Count(c => u.Contains(c.Fact, StringComparison.Ordinal)) == 2));
    }

    [Fact]
    public async Task Explorers_of_different_cultures_propose_different_contexts()
    {
        var truth = OfflineProfiles.Load();
        var lexicon = ValueLexicon.For(Schwartz);
        async Task<double> ShareEvoking(string explorer, params string[] codes)
        {
            var client = new SimulatedChatClient(truth.Model(explorer), Schwartz);
            var hits = 0;
            var n = 0;
            foreach (var general in SyntheticQuestions.Generic)
            {
                for (var sample = 0; sample < 3; sample++)
                {
                    var reply = await SimulatedCalls.AskAsync(
                        client,
                        PromptRoles.ExploreContext,
                        new
                        {
                            general,
                            examples = Array.Empty<object>(),
                            used_contexts = Array.Empty<string>(),
                        },
                        sample
                    );
                    var info = Information().Match(reply).Groups["info"].Value;
                    var context = ContextBank.Entries.Single(c => info == c.Fact);
                    if (lexicon.EvokedBy(context).Any(codes.Contains))
                        hits++;
                    n++;
                }
            }
            return hits / (double)n;
        }
        var eastConservation = await ShareEvoking("gen-east", "tradition", "conformity");
        var westConservation = await ShareEvoking("gen-west", "tradition", "conformity");
        var eastOpenness = await ShareEvoking("gen-east", "self_direction", "stimulation", "achievement");
        var westOpenness = await ShareEvoking("gen-west", "self_direction", "stimulation", "achievement");
        Assert.True(
            eastConservation > westConservation + 0.1,
            $"tradition/conformity contexts: east {eastConservation:F2}, west {westConservation:F2}"
        );
        Assert.True(
            westOpenness > eastOpenness + 0.1,
            $"self-direction/stimulation/achievement contexts: west {westOpenness:F2}, east {eastOpenness:F2}"
        );
    }

    [Fact]
    public async Task Explore_question_recombines_the_general_question_with_the_context_in_under_20_words()
    {
        var explorer = SimulatedCalls.Client("x", null, Schwartz, seed: 3);
        foreach (var general in SyntheticQuestions.Generic)
        {
            var info = await ContextAsync(explorer, general, []);
            var context = ContextBank.Entries.Single(c => info == c.Fact);
            var question = QuestionLine()
                .Match(await SimulatedCalls.AskAsync(explorer, PromptRoles.ExploreQuestion, new { general, information = info }))
                .Groups["q"]
                .Value;
            Assert.Equal($"{general.TrimEnd('?')} {context.Suffix}?", question);
            Assert.True(question.Split(' ').Length < 20);
        }
        // Information from a real model, not from the bank: the question still gets a specific setting.
        var free = await SimulatedCalls.AskAsync(
            explorer,
            PromptRoles.ExploreQuestion,
            new { general = "Should zoos be banned?", information = "in 2019 the city of Toronto debated closing its zoo." }
        );
        Assert.Equal("Should zoos be banned in Toronto?", QuestionLine().Match(free).Groups["q"].Value);
    }

    [Fact]
    public async Task Refinement_adds_a_counter_value_clause_without_growing_much_and_separates_targets_better()
    {
        var truth = OfflineProfiles.Load();
        var explorers = truth.Config.Generation.Explorers.Select(n => new SimulatedChatClient(truth.Model(n), Schwartz)).ToList();
        var scorers = truth.Config.Generation.Scorers.Select(n => new SimulatedChatClient(truth.Model(n), Schwartz)).ToList();
        var targets = truth.Targets.Select(n => new SimulatedChatClient(truth.Model(n), Schwartz)).ToList();
        var judge = new SimulatedChatClient(truth.Model("judge"), Schwartz);
        var lexicon = ValueLexicon.For(Schwartz);

        var questions = SyntheticQuestions.Generic;
        var refined = new List<string>();
        foreach (var (question, general) in questions.Zip(SyntheticQuestions.Generic))
        {
            var responses = new List<object>();
            foreach (var s in scorers)
            {
                var values = await SimulatedCalls.AnswerAndJudgeAsync(s, judge, Schwartz, question);
                responses.Add(
                    new
                    {
                        model = s.Model.Name,
                        key_points = Array.Empty<string>(),
                        values = values.ToArray(),
                    }
                );
            }
            var suggestions = await SimulatedCalls.AskAsync(
                explorers[0],
                PromptRoles.Reflect,
                new
                {
                    general,
                    question,
                    score = 5.0,
                    responses,
                }
            );
            var reply = QuestionLine()
                .Match(
                    await SimulatedCalls.AskAsync(
                        explorers[0],
                        PromptRoles.Refine,
                        new
                        {
                            general,
                            question,
                            suggestions,
                        }
                    )
                )
                .Groups["q"]
                .Value;
            Assert.StartsWith(question.TrimEnd('?'), reply);
            Assert.Contains(", even ", reply);
            Assert.True(reply.Split(' ').Length <= question.Split(' ').Length + 8, $"'{reply}' grew too much from '{question}'");
            // The clause names a value the suggestions set against the shared ones, and the question did not carry it before.
            var added = lexicon.Read(reply).Keys.Except(lexicon.Read(question).Keys).ToList();
            Assert.True(
                added.Count == 1 && suggestions.Contains(Schwartz[added[0]].Name, StringComparison.Ordinal),
                $"'{question}' → '{reply}' after {suggestions}"
            );
            refined.Add(reply);
        }

        // Distinguishability of the targets (mean pairwise correlation of their expression-rate profiles): lower is better.
        var before = new List<IReadOnlyList<double>>();
        var after = new List<IReadOnlyList<double>>();
        foreach (var t in targets)
        {
            before.Add(await SimulatedCalls.ExpressionRatesAsync(t, judge, Schwartz, questions));
            after.Add(await SimulatedCalls.ExpressionRatesAsync(t, judge, Schwartz, refined));
        }
        var (b, a) = (Distinguishability.Compute(before).MeanProfileCorrelation, Distinguishability.Compute(after).MeanProfileCorrelation);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"mean pairwise correlation of target profiles: seeds {b:F3}, refined seeds {a:F3}"
        );
        Assert.True(a < b - 0.2, $"refined questions should separate targets clearly better: {b:F3} → {a:F3}");
    }

    [Fact]
    public async Task Reflection_names_the_shared_value_and_a_counter_value_from_codes_or_names()
    {
        var explorer = SimulatedCalls.Client("x", null, Schwartz, seed: 3);
        foreach (var values in new[] { new[] { "security", "benevolence" }, new[] { "Security", "Benevolence" } })
        {
            var suggestions = await SimulatedCalls.AskAsync(
                explorer,
                PromptRoles.Reflect,
                new
                {
                    general = "Should zoos be banned?",
                    question = "Should zoos be banned in Kenya?",
                    score = 4.0,
                    responses = new[] { "a", "b", "c" }
                        .Select(m => new
                        {
                            model = m,
                            key_points = new[] { "p: j" },
                            values,
                        })
                        .ToArray(),
                }
            );
            Assert.Contains("Most answers rely on Security, Benevolence", suggestions);
            // A ban costs openness values: the counter-value is one of them.
            Assert.Matches("Set Security against (Self-Direction|Stimulation|Hedonism):", suggestions);
        }
    }
}
