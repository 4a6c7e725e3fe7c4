using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;

namespace Adaem.Tests.Prompts;

/// <summary>
/// Right-to-left replies (Arabic here; Hebrew and Persian alike) often carry invisible direction marks around a
/// label or a number: the bidirectional marks, embeddings, overrides and isolates, and now and then a zero-width
/// space or a byte-order mark. Every parser that reads a label or a number reads through them, in every role, and
/// what it keeps (a question, a point) comes without them.
/// </summary>
public sealed class InvisibleMarkTests
{
    private static readonly PromptLanguage Arabic = PromptLanguages.Get("ar");
    private static readonly ValueTheory Schwartz = TheoryLoader.Load("schwartz10");

    /// <summary>What a model writes before and after a label or number.</summary>
    public static TheoryData<string, string> Marks =>
        new()
        {
            { "\u200F", "\u200F" }, // right-to-left mark
            { "\u200E", "\u200E" }, // left-to-right mark
            { "\u061C", "\u061C" }, // Arabic letter mark
            { "\u202B", "\u202C" }, // right-to-left embedding ... pop directional formatting
            { "\u202A", "\u202C" }, // left-to-right embedding ... pop
            { "\u202E", "\u202C" }, // right-to-left override ... pop
            { "\u202D", "\u202C" }, // left-to-right override ... pop
            { "\u2067", "\u2069" }, // right-to-left isolate ... pop directional isolate
            { "\u2066", "\u2069" }, // left-to-right isolate ... pop
            { "\u2068", "\u2069" }, // first strong isolate ... pop
            { "\u200B", "\u200B" }, // zero-width space
            { "\uFEFF", "\u2060" }, // byte-order mark ... word joiner
        };

    private const string Question = "هل ينبغي لليابان أن تسمح بمنتجعات الكازينو قرب مدنها؟";

    [Theory]
    [MemberData(nameof(Marks))]
    public void The_opinion_parser_reads_the_stance_and_the_numbered_points(string open, string close)
    {
        string M(string s) => open + s + close;
        var reply =
            $"{M("الموقف")}: {M("أعارض")}\n{M("النقاط الرئيسية")}:\n"
            + $"{M("1")}. {M("الإدمان")}: يضر القمار بأكثر الأسر هشاشة.\n{M("2")}. {M("الجريمة")}: تجتذب الكازينوهات غسل الأموال.";
        var parse = OpinionPrompt.Parse(reply, 3, Arabic);
        Assert.True(parse.Ok, parse.Error);
        Assert.Equal(Stances.No, parse.Value!.Stance);
        Assert.Equal(["الإدمان", "الجريمة"], parse.Value.Opinions.Select(o => o.Point));
        Assert.Equal("يضر القمار بأكثر الأسر هشاشة.", parse.Value.Opinions[0].Justification);
    }

    [Theory]
    [MemberData(nameof(Marks))]
    public void The_judges_read_their_labels_and_the_opinion_numbers(string open, string close)
    {
        string M(string s) => open + s + close;
        Assert.True(ValueJudgePrompt.ParsePerValue($"[{M("التصنيف")}]: {M("نعم")}", Arabic).Value);
        Assert.False(ValueJudgePrompt.ParsePerValue($"{M("لا")}، النص لا يستند إلى هذه القيمة.", Arabic).Value);

        var batched = ValueJudgePrompt.ParseBatched(
            $"{M("{")}\"opinions\": [{{\"index\": {M("1")}, \"values\": [\"{M("security")}\"]}}, "
                + $"{{\"index\": \"{M("2")}\", \"values\": [{M("\"لا شيء\"")}]}}]}}",
            Schwartz,
            2,
            Arabic
        );
        Assert.True(batched.Ok, batched.Error);
        Assert.Equal(["security"], batched.Value![0]);
        Assert.Empty(batched.Value[1]);
        Assert.Empty(batched.Notes);

        var question = QuestionValuesPrompt.Parse($"{M("{")}\"values\": [\"{M("tradition")}\", {M("\"conformity\"")}]}}", Schwartz, Arabic);
        Assert.True(question.Ok, question.Error);
        Assert.Equal(["conformity", "tradition"], question.Value!.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Marks))]
    public void The_safety_verdict_is_read(string open, string close)
    {
        string M(string s) => open + s + close;
        Assert.False(SafetyPrompt.Parse($"{M("غير آمن")}: يطلب طريقة صنع سلاح", Arabic)!.Safe);
        Assert.True(SafetyPrompt.Parse($"[{M("الحكم")}]: {M("آمن")}", Arabic)!.Safe);
    }

    [Theory]
    [MemberData(nameof(Marks))]
    public void The_tagged_roles_read_their_tags_and_keep_the_text_without_marks(string open, string close)
    {
        string M(string s) => open + s + close;
        var information = "أجازت اليابان في عام 2018 إنشاء منتجعات متكاملة تضم كازينوهات.";
        Assert.Equal(information, ExplorePrompt.ParseContext($"سياق ملموس.\n{M("[معلومات]")}: {M(information)}", Arabic));

        var explored = ExplorePrompt.ParseQuestion($"{M("[حجة]")}: تعد منتجعات الكازينو بإيرادات.\n[{M("سؤال")}]: {M(Question)}", Arabic);
        Assert.Equal(Question, explored?.Question);
        Assert.Equal(Question, RefinePrompt.Parse($"{M("[سؤال]")}: {M(Question)}", Arabic));
        Assert.Equal(Question, SeedConvertPrompt.Parse($"[{M("سؤال")}]{M(":")} {Question}", Arabic));
        Assert.Equal("ضع الأمن في مواجهة المتعة.", ReflectPrompt.Parse($"{M("[اقتراحات]")}: {M("ضع الأمن في مواجهة المتعة.")}", Arabic));

        var expanded = SeedExpandPrompt.Parse(
            $"{M("1")}. {M("[حجة]")}: ينبغي إغلاق حدائق الحيوان {M("[سؤال]")}: هل ينبغي إغلاق حدائق الحيوان؟\n"
                + $"{M("2")}. [{M("حجة")}]: ينبغي إلغاء البقشيش [{M("سؤال")}]: هل ينبغي إلغاء البقشيش؟",
            Arabic
        );
        Assert.True(expanded.Ok, expanded.Error);
        Assert.Equal(["هل ينبغي إغلاق حدائق الحيوان؟", "هل ينبغي إلغاء البقشيش؟"], expanded.Value!.Select(p => p.Question));
    }

    [Fact]
    public void Normalizing_drops_direction_marks_and_zero_width_spaces_but_keeps_the_joiners_of_words()
    {
        // U+200C (zero-width non-joiner) is part of Persian words such as می‌خواهم; U+200D joins emoji.
        var persian = "می\u200Cخواهم";
        Assert.Equal(persian, ReplyText.Normalize(persian));
        Assert.Equal("👩\u200D💻", ReplyText.Normalize("👩\u200D💻"));
        Assert.Equal("[سؤال]: نعم", ReplyText.Normalize("\uFEFF\u202B[سؤال]\u202C: \u2067نعم\u2069\u200F\u200B"));
        var plain = "Stance: yes";
        Assert.Same(plain, ReplyText.Normalize(plain));
    }
}
