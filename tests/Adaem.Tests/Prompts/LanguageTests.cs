using System.Text;
using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Adaem.Storage;
using Adaem.Tests.Evaluation;
using Adaem.Tests.Support;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Prompts;

/// <summary>
/// Prompts and parsers in every shipped language: each renders every role and reads the simulated pool's
/// replies and its own examples; the pool answers in the prompt's language; a non-English language is part of
/// every identity (so an answer in one language is never served for another) while English identities keep
/// their old form; the judge reads the theory in its language.
/// </summary>
public sealed class LanguageTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Shipped => [.. PromptLanguages.Shipped];

    public static TheoryData<string> Others => [.. PromptLanguages.Shipped.Where(c => c != "en")];

    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");

    private static SimulatedChatClient Simulated(ValueTheory theory) =>
        new(
            new ModelConfig
            {
                Name = "sim",
                Provider = ProviderKinds.Simulated,
                Seed = 3,
                Noise = 0,
            },
            theory
        );

    [Fact]
    public void The_shipped_languages_are_the_seven_of_the_issue_English_first()
    {
        Assert.Equal(["en", "zh", "es", "de", "fr", "ja", "ar"], PromptLanguages.Shipped);
        Assert.True(PromptLanguages.Get("ar").RightToLeft);
        Assert.All(PromptLanguages.Shipped.Where(c => c != "ar"), c => Assert.False(PromptLanguages.Get(c).RightToLeft));
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public async Task Every_role_renders_and_parses_the_simulated_pools_replies_and_the_examples(string code)
    {
        var language = PromptLanguages.Get(code);
        var result = await PromptCheck.RunAsync(language, Schwartz, Simulated(Schwartz), Ct);
        Assert.Equal(12, result.Rows.Count);
        Assert.True(result.Ok, string.Join("\n", result.Rows.SelectMany(r => r.Problems.Select(p => $"{r.Role}: {p}"))));
        // Every role read at least one reply besides the simulated one: the examples are there.
        Assert.All(result.Rows, r => Assert.True(r.Replies >= 2, $"{r.Role}: {r.Replies} replies"));
        Assert.Empty(result.Notes);
    }

    [Theory]
    [MemberData(nameof(Others))]
    public async Task With_a_theory_without_translations_every_role_still_works_and_the_judge_falls_back_to_English_with_a_note(string code)
    {
        var mft = TheoryLoader.Load("mft5");
        var result = await PromptCheck.RunAsync(PromptLanguages.Get(code), mft, Simulated(mft), Ct);
        Assert.True(result.Ok, string.Join("\n", result.Rows.SelectMany(r => r.Problems)));
        var note = Assert.Single(result.Notes);
        Assert.Contains($"gives no {code} text", note);
        Assert.Contains("the definition of care", note);
    }

    [Theory]
    [MemberData(nameof(Others))]
    public async Task The_simulated_pool_answers_in_the_prompts_language_and_the_languages_parser_reads_it(string code)
    {
        var language = PromptLanguages.Get(code);
        var model = Simulated(Schwartz);
        var question = language.Examples.First(e => e.Role == PromptRoles.ExploreQuestion && !e.Fails).Expect!;
        var prompt = OpinionPrompt.For(question, 3, language: language);
        var reply = (await model.GetResponseAsync(prompt.Messages, prompt.Request.Options("t", "t", 0), Ct)).Text;
        var bank = SimulatedLanguages.Get(code)!;
        Assert.StartsWith(bank.StanceLabel, reply);
        Assert.Contains(bank.Heading, reply);
        Assert.DoesNotContain("Key Points", reply);
        var parse = prompt.Parse(reply);
        Assert.True(parse.Ok, parse.Error);
        Assert.Equal(3, parse.Value!.Opinions.Count);

        // The judge answers in the language too, and the language's parser reads the answer.
        var judge = ValueJudgePrompt.PerValue(
            TheoryLanguage.For(Schwartz, language),
            parse.Value.Opinions[0].Text,
            Schwartz.Values[0],
            language
        );
        var verdict = (await model.GetResponseAsync(judge.Messages, judge.Request.Options("t", "t", 0), Ct)).Text;
        Assert.Contains(verdict, new[] { bank.JudgeYes, bank.JudgeNo });
        Assert.True(judge.Parse(verdict).Ok);
    }

    [Theory]
    [MemberData(nameof(Others))]
    public async Task The_same_respondent_picks_the_same_values_in_every_language(string code)
    {
        // The banks are aligned with the English ones, so the judge (knowing each language's cues) finds the same values.
        var model = Simulated(Schwartz);
        var language = PromptLanguages.Get(code);
        async Task<List<string>> Values(PromptLanguage l)
        {
            var prompt = OpinionPrompt.For("Should gambling be legalized in Japan?", 5, language: l);
            var answer = prompt.Parse((await model.GetResponseAsync(prompt.Messages, prompt.Request.Options("t", "t", 7), Ct)).Text).Value!;
            var judge = ValueJudgePrompt.Batched(TheoryLanguage.For(Schwartz, l), answer.Opinions.Select(o => o.Text).ToList(), l);
            var labels = judge.Parse((await model.GetResponseAsync(judge.Messages, judge.Request.Options("t", "t", 7), Ct)).Text).Value!;
            return labels.Select(s => string.Join(",", s.Order(StringComparer.Ordinal))).ToList();
        }
        Assert.Equal(await Values(PromptLanguage.English), await Values(language));
    }

    [Fact]
    public async Task A_bare_prompt_without_call_context_is_recognised_by_its_words()
    {
        var model = Simulated(Schwartz);
        var zh = OpinionPrompt.For("是否应当禁止赌博？", 2, language: PromptLanguages.Get("zh"));
        var reply = (await model.GetResponseAsync(zh.Messages, null, Ct)).Text;
        Assert.StartsWith("立场：", reply);
        var en = OpinionPrompt.For("Should gambling be banned?", 2);
        Assert.StartsWith("Stance: ", (await model.GetResponseAsync(en.Messages, null, Ct)).Text);
    }

    [Fact]
    public void English_identities_keep_their_old_form_and_other_languages_add_a_tagged_component()
    {
        var en = new JudgeSettings("judge", JudgeConfig.Batched) { Language = PromptLanguage.English };
        Assert.Equal("judge;prompt=v1;parser=opinion-parser-2", en.Identity);
        Assert.Equal("judge;prompt=question-v1", en.QuestionIdentity);
        Assert.Equal("opinion-parser-2", OpinionPrompt.ParserVersionIn(PromptLanguage.English));
        Assert.Equal("v1", OpinionPrompt.For("q?", 3).Version);
        Assert.False(OpinionPrompt.For("q?", 3).Fields.TryGetProperty(PromptRequest.LanguageField, out _));

        var de = PromptLanguages.Get("de");
        var judge = new JudgeSettings("judge", JudgeConfig.Batched) { Language = de };
        Assert.Matches(@"^judge;prompt=v1\+de:[0-9a-f]{12};parser=opinion-parser-2\+de:[0-9a-f]{12}$", judge.Identity);
        Assert.Equal(OpinionPrompt.ParserVersionIn(de), JudgeSettings.ParserVersionOf(judge.Identity));
        Assert.Equal(OpinionPrompt.ParserVersion, JudgeSettings.ParserVersionOf(en.Identity));
        var prompt = OpinionPrompt.For("q?", 3, language: de);
        Assert.Equal("v1" + de.PromptTag, prompt.Version);
        Assert.Equal("de", prompt.Fields.GetProperty(PromptRequest.LanguageField).GetString());
        Assert.Equal("de", ExplorePrompt.Question("g", "i", de).Fields.GetProperty(PromptRequest.LanguageField).GetString());
    }

    [Fact]
    public async Task An_answer_asked_in_German_is_never_served_for_an_English_request()
    {
        var pool = new ScriptedPool().Add("judge", Respondents.Judge).Add("target", Bilingual).Add("other", Bilingual);
        var store = AdaemStore.Open(_temp.File("adaem.db"));
        var question = new Question("q1", "Should gambling be legalized?");
        OpinionJudging In(PromptLanguage language) =>
            new(pool, store, Schwartz, new JudgeSettings("judge", JudgeConfig.Batched), new OpinionJudgingOptions { Language = language });

        var english = await In(PromptLanguage.English).EvaluateAsync("r", Purposes.Evaluate, [question], ["target", "other"], null, Ct);
        var englishCalls = pool.Calls.Count(c => c.Role == PromptRoles.Opinion);
        var german = await In(PromptLanguages.Get("de")).EvaluateAsync("r", Purposes.Evaluate, [question], ["target", "other"], null, Ct);

        // German was asked afresh (its items differ), read by the German parser, and its answers are German.
        Assert.Equal(2 * englishCalls, pool.Calls.Count(c => c.Role == PromptRoles.Opinion));
        Assert.All(german, r => Assert.StartsWith("Punkt", r.Response!.Opinions[0].Point));
        Assert.Empty(german.Select(r => r.Item).Intersect(english.Select(r => r.Item)));

        // English again: served from the store, still English, nothing asked.
        var again = await In(PromptLanguage.English).EvaluateAsync("r", Purposes.Evaluate, [question], ["target", "other"], null, Ct);
        Assert.Equal(2 * englishCalls, pool.Calls.Count(c => c.Role == PromptRoles.Opinion));
        Assert.Equal(english.Select(r => r.Response!.Opinions[0].Point), again.Select(r => r.Response!.Opinions[0].Point));
        Assert.All(again, r => Assert.StartsWith("Point", r.Response!.Opinions[0].Point));
    }

    /// <summary>
    /// A target that answers in the language its prompt's fields name (German or English), with the tags the test judge reads.
    /// </summary>
    private static string Bilingual(ScriptedCall call, JsonElement fields)
    {
        var german = fields.TryGetProperty(PromptRequest.LanguageField, out var l) && l.GetString() == "de";
        var n = fields.GetProperty("opinions").GetInt32();
        var sb = new StringBuilder(german ? "Haltung: ja\nKernpunkte:\n" : "Stance: yes\nKey Points:\n");
        for (var i = 1; i <= n; i++)
            sb.Append(i).Append(german ? ". Punkt [power]: weil es zählt\n" : ". Point [power]: because it counts\n");
        return sb.ToString();
    }

    [Fact]
    public void The_judge_asked_in_another_language_reads_the_theorys_definitions_in_it()
    {
        var zh = PromptLanguages.Get("zh");
        var system = ValueJudgePrompt.SystemPrompt(TheoryLanguage.For(Schwartz, zh), zh);
        Assert.Contains("- security（安全）：社会、人际关系以及自身的安全、稳定与和谐。", system);
        Assert.Contains("施瓦茨基本价值观", system);
        // Labels may still name values in English; the localized theory maps them back to codes.
        Assert.Equal("self_direction", ValueJudgePrompt.Resolve(TheoryLanguage.For(Schwartz, zh), "Self-Direction"));
        Assert.Equal("self_direction", ValueJudgePrompt.Resolve(TheoryLanguage.For(Schwartz, zh), "自主"));
        Assert.Empty(TheoryLanguage.Notes(Schwartz, zh, "evaluation"));
    }

    [Fact]
    public void A_language_folder_copied_from_English_loads_and_its_mistakes_are_named_by_file_and_line()
    {
        var folder = _temp.Sub("xx");
        Directory.CreateDirectory(folder);
        foreach (var f in new[] { "language.yaml", "templates.yaml", "examples.yaml" })
            File.Copy(Path.Combine(RepoPaths.Root, "data", "prompts", "en", f), Path.Combine(folder, f));
        var languageFile = Path.Combine(folder, "language.yaml");
        File.WriteAllText(languageFile, File.ReadAllText(languageFile).Replace("code: en", "code: en-XX", StringComparison.Ordinal));
        var loaded = PromptLanguages.Get(folder);
        Assert.Equal("en-XX", loaded.Code);
        Assert.False(loaded.IsBuiltInEnglish);
        // Same English text, but a language of its own: its prompts carry a tag.
        Assert.StartsWith("+en-XX:", loaded.PromptTag);
        Assert.Equal(OpinionPrompt.Render("q?", 3)[0].Text, OpinionPrompt.Render("q?", 3, language: loaded)[0].Text);

        var templates = Path.Combine(folder, "templates.yaml");
        var lines = File.ReadAllLines(templates);
        var at = Array.FindIndex(lines, l => l.StartsWith("  per_value_reminder:", StringComparison.Ordinal)) + 1;
        lines[at] = lines[at].Replace("({error})", "({error}) {mood}", StringComparison.Ordinal);
        File.WriteAllLines(templates, lines);
        File.WriteAllText(
            templates,
            File.ReadAllText(templates)
                .Replace(
                    "    [Question]: {question}\n\n    Reply with one word, safe",
                    "    [Question]: (the question)\n\n    Reply with one word, safe",
                    StringComparison.Ordinal
                )
        );
        var e = Assert.Throws<InputException>(() => PromptLanguages.Get(folder));
        Assert.Contains(e.Problems, p => p.File == templates && p.Line == at && p.Message.Contains("{mood}", StringComparison.Ordinal));
        Assert.Contains(
            e.Problems,
            p => p.File == templates && p.Message.Contains("'safety.user' must contain {question}", StringComparison.Ordinal)
        );
    }

    [Theory]
    [InlineData("zh-CN", "zh")]
    [InlineData("ZH", "zh")]
    [InlineData("de-AT", "de")]
    [InlineData("ar", "ar")]
    public void A_tag_is_matched_ignoring_case_and_by_its_primary_subtag(string tag, string shipped)
    {
        Assert.Equal(shipped, PromptLanguages.Get(tag).Code);
    }
}
