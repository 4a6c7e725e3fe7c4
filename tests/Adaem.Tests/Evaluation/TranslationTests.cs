using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Translation;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>
/// The translate role and the translator: the prompt in the target language's template, the strict reading of its reply
/// (the translated question only; empty, echoed or chatty replies re-asked), and translations stored in a real SQLite
/// store, read back on a rerun (no call) and asked again when the source text or the translator changes.
/// </summary>
public sealed class TranslationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PromptLanguage Zh => PromptLanguages.Get("zh");

    /// <summary>A translator that answers "译：" + the text (a translation as far as the parser can tell), or runs <paramref
    /// name="reply"/>.</summary>
    private static ScriptedPool Translator(Func<ScriptedCall, string, string>? reply = null) =>
        new ScriptedPool().Add(
            "tr",
            (call, fields) =>
            {
                Assert.Equal(PromptRoles.Translate, call.Role);
                var text = fields.GetProperty("text").GetString()!;
                return reply?.Invoke(call, text) ?? "译：" + text;
            }
        );

    [Fact]
    public void The_prompt_is_the_target_languages_template_and_names_both_languages()
    {
        var prompt = TranslatePrompt.Create("Should gambling be legalized in Japan?", PromptLanguage.English, Zh);
        Assert.Equal(PromptRoles.Translate, prompt.Role);
        Assert.StartsWith("v1+zh:", prompt.Version);
        var user = prompt.Messages[^1].Text;
        Assert.Contains("Should gambling be legalized in Japan?", user);
        Assert.Contains("翻译成简体中文", user);
        Assert.Contains("English", user);
        Assert.Equal("zh", prompt.Fields.GetProperty("target").GetString());
        Assert.Equal("en", prompt.Fields.GetProperty("source").GetString());
        // Into English: the built-in English template and an untagged version.
        Assert.Equal("v1", TranslatePrompt.Create("是否应当禁止赌博？", Zh, PromptLanguage.English).Version);
    }

    [Theory]
    [InlineData("是否应当在日本将赌博合法化？", true, "是否应当在日本将赌博合法化？")]
    [InlineData("  “是否应当在日本将赌博合法化？”  ", true, "是否应当在日本将赌博合法化？")]
    [InlineData("", false, "回答中没有译文")]
    [InlineData("   ", false, "回答中没有译文")]
    [InlineData("译文如下：\n是否应当在日本将赌博合法化？", false, "回答中没有译文")]
    [InlineData("Should gambling be legalized in Japan?", false, "回答重复了原文")]
    [InlineData("should  GAMBLING be legalized in Japan?", false, "回答重复了原文")]
    public void A_reply_is_the_translated_question_only(string reply, bool ok, string expected)
    {
        var parse = TranslatePrompt.Parse(reply, "Should gambling be legalized in Japan?", Zh);
        Assert.Equal(ok, parse.Ok);
        if (ok)
            Assert.Equal(expected, parse.Value);
        else
            Assert.StartsWith(expected, parse.Error);
    }

    [Fact]
    public async Task An_echoed_reply_is_re_asked_with_the_reason_in_the_target_language()
    {
        // The first ask (re-ask digit 0) echoes the question; the re-ask translates.
        var pool = Translator((call, text) => StructuredReply.ReAskOf(call.Sample) == 0 ? text : "是否应当禁止赌博？");
        var outcome = await StructuredReply.AskAsync(
            pool.Chat("tr"),
            TranslatePrompt.Create("Should gambling be banned?", PromptLanguage.English, Zh),
            new CallSite("r", "evaluate"),
            CancellationToken.None
        );
        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal("是否应当禁止赌博？", outcome.Value);
        Assert.Equal(2, outcome.Asks);
        // The re-ask sees the prompt, the echo and the reminder.
        Assert.Equal(4, pool.Calls[^1].Messages);
    }

    [Fact]
    public async Task Translations_are_stored_read_back_with_no_call_and_asked_again_when_the_source_text_or_translator_changes()
    {
        var store = AdaemStore.Open(_dir.File("t.db"));
        var questions = new[]
        {
            new Question("q1", "Should zoos close?"),
            new Question("q2", "Should cities ban cars?"),
            new Question("q3", "Should tipping end?"),
        };
        var pool = Translator();
        var translator = new QuestionTranslator(pool, "tr", store, "main", "evaluate");

        var first = await translator.TranslateAllAsync(questions, PromptLanguage.English, Zh, null, CancellationToken.None);
        Assert.Equal(["译：Should zoos close?", "译：Should cities ban cars?", "译：Should tipping end?"], first.Select(r => r.Text));
        Assert.Equal(3, pool.Asked);
        var stored = store.LoadTranslations("main");
        Assert.Equal(3, stored.Count);
        var q1 = stored.Single(r => r.SourceId == "q1");
        Assert.Equal(
            ("en", "zh", "tr", "scripted:tr", TranslatePrompt.VersionFor(Zh)),
            (q1.SourceLanguage, q1.Language, q1.TranslatorModel, q1.Translator, q1.PromptVersion)
        );
        Assert.Equal(ItemIdentity.Of("Should zoos close?"), q1.SourceFingerprint);

        // A rerun (a new translator object, as a new process would make) reads every translation back.
        var progress = new List<EvaluationProgress>();
        var again = await new QuestionTranslator(pool, "tr", store, "main", "evaluate").TranslateAllAsync(
            questions,
            PromptLanguage.English,
            Zh,
            new SyncProgress(progress),
            CancellationToken.None
        );
        Assert.Equal(first.Select(r => r.Text), again.Select(r => r.Text));
        Assert.Equal(3, pool.Asked);
        Assert.Equal(new EvaluationProgress(3, 3, 3, 0), progress.OrderBy(p => p.Done).Last());

        // q2's text changed: only q2 is translated again; the old row stays but is never served for the new text.
        questions[1] = questions[1] with
        {
            Text = "Should cities ban private cars?",
        };
        var changed = await translator.TranslateAllAsync(questions, PromptLanguage.English, Zh, null, CancellationToken.None);
        Assert.Equal("译：Should cities ban private cars?", changed[1].Text);
        Assert.Equal(4, pool.Asked);
        Assert.Equal(2, store.LoadTranslations("main", "q2").Count);

        // Another translator identity (its model id changed in the config): every question is translated again.
        pool.SetIdentity("tr", "scripted:tr-v2");
        await new QuestionTranslator(pool, "tr", store, "main", "evaluate").TranslateAllAsync(
            questions,
            PromptLanguage.English,
            Zh,
            null,
            CancellationToken.None
        );
        Assert.Equal(7, pool.Asked);
    }

    [Fact]
    public async Task A_reply_that_stays_unusable_is_stored_as_a_failure_and_read_back_as_one()
    {
        var store = AdaemStore.Open(_dir.File("f.db"));
        var pool = Translator((_, text) => text);
        var record = await new QuestionTranslator(pool, "tr", store, "main", "evaluate", maxReAsks: 1).TranslateAsync(
            "q1",
            "Should zoos close?",
            PromptLanguage.English,
            Zh,
            CancellationToken.None
        );
        Assert.False(record.Ok);
        Assert.Null(record.Text);
        Assert.Contains("回答重复了原文", record.Error);
        Assert.Equal(2, pool.Asked);
        var again = await new QuestionTranslator(pool, "tr", store, "main", "evaluate", maxReAsks: 1).TranslateAsync(
            "q1",
            "Should zoos close?",
            PromptLanguage.English,
            Zh,
            CancellationToken.None
        );
        Assert.Equal(record.Error, again.Error);
        Assert.Equal(2, pool.Asked);
    }

    /// <summary>Collects progress reports as they come (Progress&lt;T&gt; would post them to a thread-pool context).</summary>
    private sealed class SyncProgress(List<EvaluationProgress> into) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value)
        {
            lock (into)
                into.Add(value);
        }
    }
}
