using System.Text.Json;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Xunit;

namespace Adaem.Tests.Simulated;

public sealed class JudgeTests
{
    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");

    /// <summary>Every phrase of the Schwartz banks, with the value it was written for.</summary>
    private static IEnumerable<(string Text, string Code)> BankTexts() =>
        ValueLexicon
            .For(Schwartz)
            .Values.SelectMany(v =>
                v.Points.Select(p => (p.Replace("{ref}", "", StringComparison.Ordinal), v.Code))
                    .Concat(v.Justifications.Select(j => (j.Replace("{ref}", " in Kenya", StringComparison.Ordinal), v.Code)))
            );

    private static async Task<IReadOnlyList<string[]>> BatchedAsync(
        Adaem.Providers.Simulated.SimulatedChatClient judge,
        IReadOnlyList<string> opinions,
        int sample = 0
    )
    {
        using var doc = JsonDocument.Parse(
            await SimulatedCalls.AskAsync(
                judge,
                PromptRoles.JudgeBatched,
                new { opinions, values = SimulatedCalls.ValuesField(Schwartz) },
                sample
            )
        );
        return doc
            .RootElement.GetProperty("opinions")
            .EnumerateArray()
            .Select(o => o.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToArray())
            .ToList();
    }

    [Fact]
    public async Task A_noise_free_judge_reads_one_value_per_opinion_and_none_in_bland_ones()
    {
        var judge = SimulatedCalls.Client("judge", null, Schwartz, seed: 5, noise: 0);
        var respondent = SimulatedCalls.Client("r", new Dictionary<string, double> { ["tradition"] = 0.9 }, Schwartz, seed: 6, noise: 0.2);
        var bland = 0;
        var total = 0;
        foreach (var q in SyntheticQuestions.Generic)
        {
            var opinions = SimulatedCalls.Opinions(
                await SimulatedCalls.AskAsync(respondent, PromptRoles.Opinion, new { question = q + " in India", opinions = 5 })
            );
            var labels = await BatchedAsync(judge, opinions);
            Assert.All(labels, l => Assert.True(l.Length <= 1, $"an opinion expresses one value, got {string.Join(",", l)}"));
            for (var i = 0; i < opinions.Count; i++)
            {
                var isBland = ValueLexicon.BlandPoints.Any(p => opinions[i].StartsWith(p, StringComparison.Ordinal));
                Assert.Equal(isBland, labels[i].Length == 0);
                if (isBland)
                    bland++;
                total++;
            }
        }
        // Half of the noise is bland: about 10% of 200 opinions at noise 0.2.
        Assert.InRange(bland / (double)total, 0.04, 0.18);
    }

    [Fact]
    public async Task The_judge_errs_at_its_configured_rate()
    {
        var texts = BankTexts().ToList();
        var judge = SimulatedCalls.Client("judge", null, Schwartz, seed: 5, noise: 0.2);
        int misses = 0,
            spurious = 0,
            n = 0;
        for (var sample = 0; sample < 4; sample++)
        {
            var labels = await BatchedAsync(judge, texts.Select(t => t.Text).ToList(), sample);
            for (var i = 0; i < texts.Count; i++)
            {
                if (!labels[i].Contains(texts[i].Code))
                    misses++;
                spurious += labels[i].Count(c => c != texts[i].Code);
                n++;
            }
        }
        // Expected: misses 10% of opinions, spurious 1% per absent value (9 values → 0.09 per opinion).
        Assert.InRange(misses / (double)n, 0.06, 0.14);
        Assert.InRange(spurious / (double)n, 0.04, 0.15);
    }

    [Fact]
    public async Task Batched_and_per_value_judges_agree_on_every_opinion()
    {
        var judge = SimulatedCalls.Client("judge", null, Schwartz, seed: 5, noise: 0.3);
        var texts = BankTexts().Take(40).Select(t => t.Text).ToList();
        var labels = await BatchedAsync(judge, texts);
        for (var i = 0; i < texts.Count; i++)
        {
            foreach (var v in Schwartz.Values)
            {
                var verdict = await SimulatedCalls.AskAsync(
                    judge,
                    PromptRoles.JudgeValue,
                    new
                    {
                        text = texts[i],
                        value = new
                        {
                            code = v.Code,
                            name = v.Name,
                            definition = v.Definition,
                        },
                    }
                );
                Assert.Equal(labels[i].Contains(v.Code), verdict == "Yes");
            }
        }
    }

    [Fact]
    public async Task The_question_judge_reads_the_values_in_the_question_wording()
    {
        var judge = SimulatedCalls.Client("judge", null, Schwartz, seed: 5, noise: 0);
        var reply = await SimulatedCalls.AskAsync(
            judge,
            PromptRoles.JudgeQuestion,
            new
            {
                question = "Should gambling be legalized in Singapore, even if it threatens stability?",
                values = SimulatedCalls.ValuesField(Schwartz),
            }
        );
        Assert.Equal("""{"values":["hedonism","security"]}""", reply);
        var none = await SimulatedCalls.AskAsync(
            judge,
            PromptRoles.JudgeQuestion,
            new { question = "Should tipping be abolished?", values = SimulatedCalls.ValuesField(Schwartz) }
        );
        Assert.Equal("""{"values":[]}""", none);
    }
}
