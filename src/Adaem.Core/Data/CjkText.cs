namespace Adaem.Core.Data;

/// <summary>
/// The scripts written without spaces between words that adaem counts character by character: Han
/// (Chinese characters, Japanese kanji), Hiragana, Katakana and Hangul. Text statistics, question lengths and
/// the simulated pool's cue matching treat each such character as a token of its own, and runs of any other
/// letters and digits as words.
/// </summary>
public static class CjkText
{
    /// <summary>Whether <paramref name="c"/> is a Han, Hiragana, Katakana or Hangul character (Basic Multilingual Plane).</summary>
    public static bool IsCjk(char c) =>
        c switch
        {
            >= '\u4E00' and <= '\u9FFF' => true, // CJK Unified Ideographs
            >= '\u3400' and <= '\u4DBF' => true, // Extension A
            >= '\uF900' and <= '\uFAFF' => true, // Compatibility Ideographs
            '\u3005' or '\u3007' => true, // 々 〇
            >= '\u3040' and <= '\u309F' => true, // Hiragana
            >= '\u30A0' and <= '\u30FF' => true, // Katakana (with the prolonged sound mark)
            >= '\u31F0' and <= '\u31FF' => true, // Katakana phonetic extensions
            >= '\uFF66' and <= '\uFF9F' => true, // half-width Katakana
            >= '\uAC00' and <= '\uD7AF' => true, // Hangul syllables
            >= '\u1100' and <= '\u11FF' => true, // Hangul Jamo
            >= '\u3130' and <= '\u318F' => true, // Hangul compatibility Jamo
            _ => false,
        };

    /// <summary>Whether the text holds any CJK character.</summary>
    public static bool Any(string text)
    {
        foreach (var c in text)
            if (IsCjk(c))
                return true;
        return false;
    }
}
