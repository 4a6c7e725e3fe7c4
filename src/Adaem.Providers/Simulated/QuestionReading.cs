using System.Text.RegularExpressions;
using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>
/// What a simulated respondent makes of a question: how specific it is, which values its words cue,
/// which contexts it names, and from these how strongly it evokes each value of the theory.
/// This is the simulation's model of AdAEM's premise: generic questions evoke the broad values everyone
/// shares, specific ones (a country, a group, a year, a law, a trade-off) bring conflicting values into
/// play, and then each respondent's own priorities decide what it says.
/// </summary>
internal sealed partial record QuestionReading
{
    public required string Text { get; init; }

    /// <summary>0 for a context-free question, towards 1 as it names more specific context.</summary>
    public required double Specificity { get; init; }

    /// <summary>Cue counts per value code in the question's own words.</summary>
    public required IReadOnlyDictionary<string, int> Cued { get; init; }

    /// <summary>Contexts from the bank the question names.</summary>
    public required IReadOnlyList<ContextEntry> Contexts { get; init; }

    /// <summary>Evocation per value code, in the theory's order (positive, unnormalised).</summary>
    public required IReadOnlyDictionary<string, double> Evocation { get; init; }

    /// <summary>+1 the question proposes a restriction (ban, require), -1 a permission (allow, legalise), 0 neither.</summary>
    public required int Direction { get; init; }

    private static readonly CuePattern[] MarkerPatterns = ContextBank.Markers.Select(m => new CuePattern(m)).ToArray();

    private static readonly CuePattern[] TradeOffPatterns = Patterns(
        "even if",
        "even at",
        "even against",
        "even though",
        "at the cost of",
        "at the expense of"
    );

    private static readonly CuePattern[] Restrictive = Patterns(
        "ban",
        "bans",
        "banned",
        "banning",
        "restrict*",
        "prohibit*",
        "limit*",
        "forbid*",
        "outlaw*",
        "criminali*",
        "censor*",
        "require*",
        "mandat*",
        "punish*",
        "regulat*",
        "cap",
        "tax",
        "taxes",
        "enforce*",
        "stop*",
        "abandon*",
        "phase out"
    );

    private static readonly CuePattern[] Permissive = Patterns(
        "legali*",
        "allow*",
        "permit*",
        "expand*",
        "abolish*",
        "lift*",
        "decriminali*",
        "deregulat*",
        "subsidi*",
        "encourage*",
        "accept*",
        "welcome*",
        "introduce*",
        "adopt*"
    );

    private static CuePattern[] Patterns(params string[] cues) => cues.Select(c => new CuePattern(c)).ToArray();

    [GeneratedRegex(@"\b(1[5-9]\d\d|20\d\d)s?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex InnerCapital();

    public static QuestionReading Read(string question, ValueLexicon lexicon, ValueTheory theory)
    {
        // A translated question is read as its source (see SimulatedTranslation).
        question = SimulatedTranslation.Strip(question);
        var words = CuePattern.Words(question);
        var cued = lexicon.Read(words);
        var contexts = ContextBank.Entries.Where(c => Contains(question, c)).ToList();

        // Specificity counts units of context: named places, peoples, faiths, groups, institutions, firms
        // (at most 2), a year, other proper nouns, and an explicit trade-off clause.
        var markers = MarkerPatterns.Count(p => p.CountIn(words) > 0);
        var years = Year().IsMatch(question) ? 1 : 0;
        var capitals = InnerCapital()
            .Matches(question)
            .Count(m => m.Value != "I" && !MarkerPatterns.Any(p => p.CountIn(CuePattern.Words(m.Value)) > 0));
        var tradeOff = TradeOffPatterns.Any(p => p.CountIn(words) > 0) ? 1 : 0;
        var units = Math.Min(markers, 2) + years + Math.Min(capitals * 0.5, 1.0) + tradeOff;
        var specificity = 1 - Math.Exp(-0.9 * units);

        var fromContext = new HashSet<string>(contexts.SelectMany(lexicon.EvokedBy), StringComparer.Ordinal);
        var engaged = cued.Keys.Concat(fromContext).ToHashSet(StringComparer.Ordinal);
        var conflicting = new HashSet<string>(
            engaged.Where(c => theory.IndexOf(c) >= 0).SelectMany(c => theory.OppositeGroup(c)).Select(v => v.Code),
            StringComparer.Ordinal
        );

        var evocation = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var v in lexicon.Values)
        {
            var cue = Math.Min(cued.GetValueOrDefault(v.Code), 2);
            evocation[v.Code] =
                0.1
                + v.Shared * (1 - 0.8 * specificity)
                + 0.8 * cue
                + specificity * (0.35 + (conflicting.Contains(v.Code) ? 0.6 : 0) + (fromContext.Contains(v.Code) ? 0.7 : 0));
        }

        var restrict = Restrictive.Sum(p => p.CountIn(words));
        var permit = Permissive.Sum(p => p.CountIn(words));
        return new QuestionReading
        {
            Text = question,
            Specificity = specificity,
            Cued = cued,
            Contexts = contexts,
            Evocation = evocation,
            Direction = Math.Sign(restrict - permit),
        };
    }

    /// <summary>Whether a text names a bank context: its entity, its question suffix or its fact.</summary>
    public static bool Contains(string text, ContextEntry context) =>
        text.Contains(context.Entity, StringComparison.OrdinalIgnoreCase)
        || text.Contains(context.Suffix, StringComparison.OrdinalIgnoreCase)
        || text.Contains(context.Fact, StringComparison.OrdinalIgnoreCase);
}
