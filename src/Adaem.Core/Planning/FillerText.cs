using System.Text;

namespace Adaem.Core.Planning;

/// <summary>
/// Stand-in English text of a given length, for the parts of a prompt the plan cannot know yet (the opinions a
/// judge will read, the contexts an explorer will have seen). Its words come from one ordinary paragraph, so
/// every tokenizer counts it as it counts ordinary prose.
/// </summary>
internal static class FillerText
{
    /// <summary>An ordinary paragraph in the register of the answers adaem reads (written for adaem).</summary>
    public const string Sample =
        "Public libraries should stay open late because many people work during the day and still want a quiet place "
        + "to read, study or use a computer. Longer hours cost money, and a city has to weigh that against schools, "
        + "roads and health care. Still, a library serves everyone at once: children doing homework, older people "
        + "looking for company, and job seekers who have no internet at home. Closing early would hurt exactly those "
        + "who have the fewest other options, while the savings would be small next to the whole budget. A fair "
        + "compromise is to open late on three evenings a week and to ask volunteers to help.";

    private static readonly string[] Words = Sample.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Words in <see cref="Sample"/>.</summary>
    public static int SampleWords => Words.Length;

    /// <summary>The first <paramref name="words"/> words of the sample, repeated as often as needed.</summary>
    public static string OfWords(int words)
    {
        if (words <= 0)
            return "";
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
                sb.Append(' ');
            sb.Append(Words[i % Words.Length]);
        }
        return sb.ToString();
    }

    /// <summary>Tokens per word of ordinary prose for a counter (about 1.3 for OpenAI's encodings).</summary>
    public static double TokensPerWord(ITokenCounter counter) => (double)counter.Count(Sample) / Words.Length;

    /// <summary>Text that <paramref name="counter"/> counts as about <paramref name="tokens"/> tokens.</summary>
    public static string OfTokens(ITokenCounter counter, double tokens) =>
        OfWords((int)Math.Round(Math.Max(0, tokens) / TokensPerWord(counter)));
}
