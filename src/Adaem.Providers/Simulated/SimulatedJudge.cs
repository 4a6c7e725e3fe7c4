using System.Globalization;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated value judge. It reads only the text in front of it: a value is present when the text
/// carries one of its cues (the same lexicon respondents write with, so what a respondent expresses is
/// what the judge can see, whoever wrote it). Then it errs like a real judge: it misses a present value
/// with probability ErrorRate/2 and adds an absent one with probability ErrorRate/20 per value
/// (about ErrorRate/2 spurious labels per opinion on a ten-value theory). Errors are fixed by
/// (judge seed, text, value, sample), so the batched and the per-value judge agree on the same opinion.
/// </summary>
internal sealed class SimulatedJudge(long seed, double errorRate)
{
    public double ErrorRate { get; } = errorRate;

    public IReadOnlyList<string> Recognise(string text, ValueLexicon lexicon, int sample)
    {
        var read = lexicon.Read(text);
        var found = new List<string>();
        foreach (var v in lexicon.Values)
        {
            if (Decide(read.ContainsKey(v.Code), text, v.Code, sample))
                found.Add(v.Code);
        }
        return found;
    }

    public bool Has(string text, string code, ValueLexicon lexicon, int sample) =>
        Decide(lexicon.Read(text).ContainsKey(code), text, code, sample);

    private bool Decide(bool present, string text, string code, int sample)
    {
        // Keyed on the words only, so punctuation or markdown a parser may keep or strip does not change the verdict.
        var words = string.Join(' ', CuePattern.Words(text));
        var rng = StableRandom.From(
            "judge",
            seed.ToString(CultureInfo.InvariantCulture),
            words,
            code,
            sample.ToString(CultureInfo.InvariantCulture)
        );
        return present ? !rng.Chance(ErrorRate / 2) : rng.Chance(ErrorRate / 20);
    }
}
