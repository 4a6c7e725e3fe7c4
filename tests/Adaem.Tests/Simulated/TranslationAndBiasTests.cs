using Adaem.Core.Configuration;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Simulated;

/// <summary>
/// The simulated pool's translate role and language_bias: the "translation" is the source marked with the target
/// language, which a respondent reads as the source (the same values, the same random stream); a language_bias moves a
/// respondent's priorities in that language only.
/// </summary>
public sealed class TranslationAndBiasTests
{
    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SimulatedChatClient Model(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? bias = null) =>
        new(
            new ModelConfig
            {
                Name = "m",
                Provider = ProviderKinds.Simulated,
                Seed = 21,
                Noise = 0,
                Profile = new Dictionary<string, double>
                {
                    ["universalism"] = 0.9,
                    ["self_direction"] = 0.8,
                    ["tradition"] = 0.05,
                },
                LanguageBias = bias,
            },
            Schwartz
        );

    [Fact]
    public async Task The_translation_is_the_source_marked_with_the_target_language_and_passes_the_parser()
    {
        var model = Model();
        var zh = PromptLanguages.Get("zh");
        var prompt = TranslatePrompt.Create("Should gambling be legalized in Japan?", PromptLanguage.English, zh);
        var reply = (await model.GetResponseAsync(prompt.Messages, prompt.Request.Options("t", "t", 0), Ct)).Text;
        Assert.Equal("[zh] Should gambling be legalized in Japan?", reply);
        Assert.True(prompt.Parse(reply).Ok);
        // Translating a translation replaces the mark.
        var back = TranslatePrompt.Create(reply, zh, PromptLanguage.English);
        Assert.Equal(
            "[en] Should gambling be legalized in Japan?",
            (await model.GetResponseAsync(back.Messages, back.Request.Options("t", "t", 0), Ct)).Text
        );
    }

    /// <summary>The values (per opinion, in order) a noise-free judge finds in the model's answer to <paramref name="question"/> asked in
    /// <paramref name="language"/>.</summary>
    private static async Task<List<string>> Values(IChatClient model, string question, PromptLanguage language, int sample)
    {
        var prompt = OpinionPrompt.For(question, 3, language: language);
        var answer = prompt
            .Parse((await model.GetResponseAsync(prompt.Messages, prompt.Request.Options("t", "t", sample), Ct)).Text)
            .Value!;
        var judge = ValueJudgePrompt.Batched(
            TheoryLanguage.For(Schwartz, language),
            answer.Opinions.Select(o => o.Text).ToList(),
            language
        );
        var labels = judge.Parse((await Model().GetResponseAsync(judge.Messages, judge.Request.Options("t", "t", sample), Ct)).Text).Value!;
        return labels.Select(s => string.Join(",", s.Order(StringComparer.Ordinal))).ToList();
    }

    private static readonly string[] Questions =
    [
        .. ContextBank
            .Entries.Where(c => c.Category == "country")
            .Take(10)
            .SelectMany(c => new[] { $"Should gambling be legalized {c.Suffix}?", $"Should military service be compulsory {c.Suffix}?" }),
    ];

    [Fact]
    public async Task A_respondent_without_bias_answers_the_marked_translation_as_the_source()
    {
        var model = Model();
        var zh = PromptLanguages.Get("zh");
        foreach (var q in Questions)
            Assert.Equal(await Values(model, q, PromptLanguage.English, 3), await Values(model, "[zh] " + q, zh, 3));
    }

    [Fact]
    public async Task A_language_bias_moves_the_values_voiced_in_that_language_only()
    {
        var biased = Model(
            new Dictionary<string, IReadOnlyDictionary<string, double>> { ["zh"] = new Dictionary<string, double> { ["tradition"] = 0.6 } }
        );
        var plain = Model();
        var zh = PromptLanguages.Get("zh");
        int Tradition(IEnumerable<List<string>> answers) => answers.Sum(a => a.Count(o => o.Split(',').Contains("tradition")));
        var english = new List<List<string>>();
        var chinese = new List<List<string>>();
        foreach (var q in Questions)
        {
            // In English the bias does not apply: the same answers as the model without it.
            var en = await Values(biased, q, PromptLanguage.English, 1);
            Assert.Equal(await Values(plain, q, PromptLanguage.English, 1), en);
            english.Add(en);
            chinese.Add(await Values(biased, "[zh] " + q, zh, 1));
        }
        Assert.True(
            Tradition(chinese) >= Tradition(english) + 5,
            $"tradition in {Tradition(english)} English and {Tradition(chinese)} Chinese key points"
        );
    }
}
