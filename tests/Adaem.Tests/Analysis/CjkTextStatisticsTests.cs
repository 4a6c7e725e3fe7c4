using Adaem.Core.Analysis;

namespace Adaem.Tests.Analysis;

/// <summary>Text statistics on languages written without spaces: one token per Han, kana or Hangul character, words elsewhere.</summary>
public sealed class CjkTextStatisticsTests
{
    [Fact]
    public void Chinese_is_one_token_per_character_and_punctuation_is_dropped()
    {
        Assert.Equal(["应", "该", "禁", "止", "赌", "博", "吗"], WordTokens.Of("应该禁止赌博吗？"));
    }

    [Fact]
    public void Japanese_kanji_and_kana_are_characters_and_Latin_runs_inside_stay_words()
    {
        Assert.Equal(["日", "本", "は", "ai", "を", "規", "制", "す", "べ", "き", "か"], WordTokens.Of("日本はAIを規制すべきか？"));
        Assert.Equal(["カ", "ジ", "ノ", "2030", "年"], WordTokens.Of("カジノ、2030年"));
    }

    [Fact]
    public void Mixed_text_keeps_English_words_whole()
    {
        Assert.Equal(["should", "tokyo", "東", "京", "ban", "cars"], WordTokens.Of("Should Tokyo (東京) ban cars?"));
    }

    [Fact]
    public void Chinese_statistics_count_characters_and_see_repetition()
    {
        // Two identical questions and a third that shares nothing with them.
        string[] questions = ["应该禁止赌博吗？", "应该禁止赌博吗？", "大城市需要更多公园"];
        var s = TextStatistics.Compute(questions, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((7 + 7 + 9) / 3.0, s.AverageWords, 10);
        // Bigrams: 6 + 6 + 8 = 20 in all; distinct: 6 (shared by the first two) + 8 = 14.
        Assert.Equal(14.0 / 20, s.Distinct2, 10);
        // The first two are each other's perfect reference (BLEU 1); the third shares no character with them
        // (every order smoothed to 0.1 of its count, no brevity penalty against the closest length 7 < 9).
        var third = Bleu.Combine([0, 0, 0, 0], [9, 8, 7, 6], 9, 7);
        Assert.Equal((1 + 1 + third) / 3 * 100, s.SelfBleu, 8);
    }

    [Fact]
    public void Without_character_tokens_a_Chinese_question_would_be_a_single_word()
    {
        // The reason for the rule: a spaced-script tokeniser sees one "word" per clause, so every length would be 1 or 2.
        Assert.True(WordTokens.Of("应该禁止赌博吗").Length > 1);
        Assert.Equal(2, WordTokens.Of("Hello 世").Length);
    }
}
