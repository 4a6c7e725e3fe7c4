namespace Adaem.Providers.Simulated;

/// <summary>
/// One cue of a lexicon: a word or a short phrase. Written like "freedom", "enjoy*" (a stem: any word
/// starting so) or "law and order" (consecutive words). Hyphens and apostrophes split words, so
/// "self-restraint" is the two words "self restraint" both in cues and in the text read. In Chinese and
/// Japanese every character is a word, so "自由" is a phrase of two.
/// </summary>
internal sealed class CuePattern
{
    private readonly string[] _parts;
    private readonly bool[] _stem;

    public CuePattern(string cue)
    {
        Cue = cue;
        // '*' becomes a marker character that Words keeps inside the word it ends.
        var words = Words(cue.Replace("*", "\u0001", StringComparison.Ordinal));
        _parts = new string[words.Count];
        _stem = new bool[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            _stem[i] = words[i].EndsWith('\u0001');
            _parts[i] = words[i].TrimEnd('\u0001');
        }
        if (_parts.Length == 0)
            throw new ArgumentException($"empty cue '{cue}'", nameof(cue));
    }

    public string Cue { get; }

    /// <summary>How many times the cue occurs in the words of a text.</summary>
    public int CountIn(IReadOnlyList<string> words)
    {
        var n = 0;
        for (var i = 0; i + _parts.Length <= words.Count; i++)
        {
            var all = true;
            for (var j = 0; j < _parts.Length && all; j++)
            {
                var w = words[i + j];
                all = _stem[j] ? w.StartsWith(_parts[j], StringComparison.Ordinal) : w == _parts[j];
            }
            if (all)
                n++;
        }
        return n;
    }

    /// <summary>
    /// Lower-case words of a text: runs of letters and digits (and the stem marker used by cues). A CJK character
    /// (Han, kana, Hangul) is a word of its own, so a cue written in Chinese or Japanese ("自由") is matched as
    /// consecutive characters, as the text statistics count them.
    /// </summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var ch in text)
        {
            if (Adaem.Core.Data.CjkText.IsCjk(ch))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
                words.Add(ch.ToString());
            }
            else if (char.IsLetterOrDigit(ch) || ch == '\u0001')
            {
                current.Append(char.ToLowerInvariant(ch));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }
}
