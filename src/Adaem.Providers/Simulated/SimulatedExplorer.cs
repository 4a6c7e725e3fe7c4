using System.Globalization;
using System.Text.RegularExpressions;
using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated explorer and refiner. It brings one new specific context to a general question
/// (chosen from <see cref="ContextBank"/>, biased towards contexts that touch the explorer's own
/// priorities, so explorers of different "cultures" propose different settings), composes the
/// specific question, reflects on how scorers answered, and sharpens a question with a counter-value clause.
/// </summary>
internal sealed partial class SimulatedExplorer(ValueProfile profile, ValueTheory theory, ValueLexicon lexicon)
{
    /// <summary>How sharply an explorer prefers contexts close to its own priorities.</summary>
    private const double CultureBias = 4.0;

    /// <summary>The language of the prompt; null for English. The explorer reasons the same way and writes this language's tags and
    /// sentences.</summary>
    public SimulatedLanguage? Language { get; init; }

    /// <summary>The values' names in <see cref="Language"/>, by code (used to name values in the suggestions and to read them
    /// back).</summary>
    public IReadOnlyDictionary<string, string>? LocalNames { get; init; }

    private string NameOf(ValueCues value) => LocalNames?.GetValueOrDefault(value.Code) ?? value.Name;

    [GeneratedRegex(@"\bagainst\s+(?<name>[A-Z][\w-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Against();

    [GeneratedRegex(@"(?<![.?!]\s)(?<!^)\b[A-Z][\w]+(?:\s+[A-Z][\w]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex ProperNoun();

    [GeneratedRegex(@"\b(1[5-9]\d\d|20\d\d)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    /// <summary>explore_context: some reasoning, then "[Information]: one new specific context".</summary>
    public string ExploreContext(string general, IReadOnlyList<string> examples, IReadOnlyList<string> usedContexts, StableRandom rng)
    {
        var reading = QuestionReading.Read(general, lexicon, theory);
        var seen = usedContexts.Concat(examples).Append(general).ToList();
        bool Used(ContextEntry c) => seen.Any(s => QuestionReading.Contains(s, c));

        var engaged = reading.Cued.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var code in reading.Cued.Keys.ToList())
            engaged.UnionWith(theory.OppositeGroup(code).Select(v => v.Code));

        var candidates = ContextBank.Entries.Where(c => !Used(c)).ToList();
        ContextEntry[] chosen;
        if (candidates.Count > 0)
        {
            var words = CuePattern.Words(general);
            var weights = candidates.Select(c => Weight([c], engaged) * c.Fit(words)).ToList();
            chosen = [candidates[rng.PickWeighted(weights)]];
        }
        else
        {
            // Every single context is used: combine a group with a country, as an explorer would narrow a setting down.
            var pairs = ContextBank
                .Entries.Where(g => g.Category == "group")
                .SelectMany(g => ContextBank.Entries.Where(c => c.Category == "country").Select(c => new[] { g, c }))
                .Where(p => !seen.Any(s => QuestionReading.Contains(s, p[0]) && QuestionReading.Contains(s, p[1])))
                .ToList();
            chosen =
                pairs.Count > 0 ? pairs[rng.PickWeighted(pairs.Select(p => Weight(p, engaged)).ToList())] : [rng.Pick(ContextBank.Entries)];
        }

        var brought = chosen.SelectMany(lexicon.EvokedBy).Distinct(StringComparer.Ordinal).Select(c => lexicon.ByCode[c].Name).ToList();
        var information =
            chosen.Length == 1
                ? chosen[0].Fact
                : $"{chosen[0].Fact} The debate about {chosen[0].Entity} in {chosen[1].Entity} is especially live: {chosen[1].Fact}";
        var setting = string.Join(" in ", chosen.Select(c => c.Entity));
        if (Language is { } language)
        {
            var names = chosen.SelectMany(lexicon.EvokedBy).Distinct(StringComparer.Ordinal).Select(c => NameOf(lexicon.ByCode[c]));
            return SimulatedLanguage.Fill(
                    language.Explore["reasoning"],
                    ("general", general),
                    ("covered", usedContexts.Count.ToString(CultureInfo.InvariantCulture)),
                    ("setting", setting),
                    ("values", string.Join(language.Reflect.GetValueOrDefault("separator", ", "), names))
                )
                + "\n"
                + language.Tag("information")
                + information;
        }
        var covered = usedContexts.Count switch
        {
            0 => "no specific setting yet",
            1 => "one setting already",
            var n => $"{n} settings already",
        };
        return $"The general question \"{general}\" is usually debated in the abstract, and the examples so far cover {covered}. "
            + $"A concrete setting makes the trade-offs sharper: {setting} ({chosen[0].Category}) brings {string.Join(", ", brought)} into play, "
            + "and it has not been used yet.\n"
            + $"[Information]: {information}";
    }

    private double Weight(IReadOnlyList<ContextEntry> contexts, HashSet<string> engaged)
    {
        var evoked = contexts.SelectMany(lexicon.EvokedBy).Distinct(StringComparer.Ordinal).ToList();
        var affinity = evoked.Count == 0 ? ValueProfile.Unnamed : evoked.Average(c => profile[c]);
        var relevance = 1 + 0.5 * evoked.Count(engaged.Contains);
        return Math.Exp(CultureBias * affinity) * relevance;
    }

    /// <summary>explore_question: "[Argument]: ..." and "[Question]: ..." recombining the general question with the context.</summary>
    public string ExploreQuestion(string general, string information)
    {
        // A bank fact identifies its context exactly; otherwise fall back to entity names (information from a real model).
        var byFact = ContextBank.Entries.Where(c => information.Contains(c.Fact, StringComparison.OrdinalIgnoreCase)).ToList();
        var contexts = (
            byFact.Count > 0 ? byFact : ContextBank.Entries.Where(c => information.Contains(c.Entity, StringComparison.OrdinalIgnoreCase))
        )
            .OrderBy(c => c.Category == "group" ? 0 : 1)
            .Take(2)
            .ToList();
        string suffix;
        if (contexts.Count == 2 && contexts[0].Category == "group" && contexts[1].Category == "country")
            suffix = $"{contexts[0].Suffix} {contexts[1].Suffix}";
        else if (contexts.Count > 0)
            suffix = contexts[0].Suffix;
        else if (ProperNoun().Match(information) is { Success: true } noun)
            suffix = $"in {noun.Value}";
        else if (Year().Match(information) is { Success: true } year)
            suffix = $"since {year.Value}";
        else
            suffix = "today";

        var stem = QuestionText.Shorten(QuestionText.WithoutTradeOff(QuestionText.Stem(general)), 19 - QuestionText.WordCount(suffix));
        var question = $"{stem} {suffix}?";
        var fact = information.Trim();
        if (!fact.EndsWith('.'))
            fact += ".";
        if (Language is { } language)
        {
            return language.Tag("argument")
                + fact
                + " "
                + SimulatedLanguage.Fill(language.Explore["argument"], ("general", general.Trim()))
                + "\n"
                + language.Tag("question")
                + question;
        }
        return $"[Argument]: {fact} That gives the general debate ({general.Trim()}) a concrete setting {suffix}, where the usual answers no longer fit everyone.\n"
            + $"[Question]: {question}";
    }

    /// <summary>reflect: "[Suggestions]: ..." naming the values the answers share and the value to set against them.</summary>
    public string Reflect(
        string general,
        string question,
        double? score,
        IReadOnlyList<IReadOnlyList<string>> responseValues,
        StableRandom rng
    )
    {
        // Responses may list value codes or display names; read both.
        responseValues = responseValues.Select(r => (IReadOnlyList<string>)r.Select(CodeOf).OfType<string>().ToList()).ToList();
        var counts = lexicon.Values.ToDictionary(v => v.Code, v => responseValues.Count(r => r.Contains(v.Code)), StringComparer.Ordinal);
        var n = responseValues.Count;
        var shared = n >= 2 ? lexicon.Values.Where(v => counts[v.Code] >= Math.Ceiling(0.75 * n)).ToList() : [];
        var anchor =
            shared.Count > 0 ? shared.OrderByDescending(v => counts[v.Code]).First()
            : counts.Values.Any(c => c > 0) ? lexicon.ByCode[counts.OrderByDescending(kv => kv.Value).First().Key]
            : QuestionAnchor(question, rng);
        var counter = Counter(anchor.Code, question, counts, rng);
        if (Language is { } language)
        {
            var r = language.Reflect;
            var localScore = score is { } ls ? SimulatedLanguage.Fill(r["score"], ("score", SimulatedLanguages.Score(ls))) : "";
            var localFinding =
                shared.Count > 0
                    ? SimulatedLanguage.Fill(
                        r["shared"],
                        ("values", string.Join(r.GetValueOrDefault("separator", ", "), shared.Select(NameOf))),
                        ("score", localScore)
                    )
                    : SimulatedLanguage.Fill(r["differ"], ("score", localScore));
            return language.Tag("suggestions")
                + localFinding
                + " "
                + SimulatedLanguage.Fill(
                    r["advice"],
                    ("anchor", NameOf(anchor)),
                    ("counter", NameOf(counter)),
                    ("general", general.Trim())
                );
        }
        var scoreText = score is { } s ? $" (score {s.ToString("0.00", CultureInfo.InvariantCulture)})" : "";
        var finding =
            shared.Count > 0
                ? $"Most answers rely on {string.Join(", ", shared.Select(v => v.Name))}, so the question does not tell the models apart{scoreText}."
                : $"The answers already differ{scoreText}, but the question does not force a choice.";
        return $"[Suggestions]: {finding} Set {anchor.Name} against {counter.Name}: name a concrete cost to {counter.Name} "
            + $"so that each model has to choose. Stay on the topic of \"{general.Trim()}\", keep the setting, and do not make the question much longer.";
    }

    private string? CodeOf(string value) =>
        lexicon
            .Values.FirstOrDefault(v =>
                string.Equals(v.Code, value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(v.Name, value, StringComparison.OrdinalIgnoreCase)
            )
            ?.Code;

    /// <summary>refine: "[Question]: ..." with a counter-value clause that sharpens the conflict the suggestions name.</summary>
    public string Refine(string general, string question, string suggestions, StableRandom rng)
    {
        var stem = QuestionText.WithoutTradeOff(QuestionText.Stem(question.Length > 0 ? question : general));
        var counter = CounterFromSuggestions(suggestions);
        var cued = lexicon.Read(stem);
        var direction = QuestionReading.Read(stem, lexicon, theory).Direction;
        if (counter is null || cued.ContainsKey(counter.Code) || !Costs(direction, counter))
        {
            var anchor = cued.Count > 0 ? lexicon.ByCode[cued.OrderByDescending(kv => kv.Value).First().Key] : QuestionAnchor(stem, rng);
            counter = Counter(anchor.Code, stem, new Dictionary<string, int>(StringComparer.Ordinal), rng);
        }
        var clause = rng.Pick(counter.Clauses);
        stem = QuestionText.Shorten(stem, Math.Max(8, 24 - QuestionText.WordCount(clause)));
        return $"{(Language is { } language ? language.Tag("question") : "[Question]: ")}{stem}, {clause}?";
    }

    /// <summary>Whether a proposal in this direction can cost the value: not when the value itself argues for it.</summary>
    private static bool Costs(int direction, ValueCues value) => value.Lean == 0 || direction == 0 || value.Lean != direction;

    private ValueCues? CounterFromSuggestions(string suggestions)
    {
        if (LocalNames is { } local)
        {
            // Suggestions in another language name the counter value last (see the reflection sentences of data/simulated).
            return lexicon
                .Values.Select(v =>
                    (
                        v,
                        at: local.TryGetValue(v.Code, out var name) ? suggestions.LastIndexOf(name, StringComparison.OrdinalIgnoreCase) : -1
                    )
                )
                .Where(x => x.at >= 0)
                .OrderByDescending(x => x.at)
                .Select(x => x.v)
                .FirstOrDefault();
        }
        foreach (Match m in Against().Matches(suggestions))
        {
            var hit = lexicon.Values.FirstOrDefault(v =>
                string.Equals(v.Name, m.Groups["name"].Value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(v.Code, m.Groups["name"].Value, StringComparison.OrdinalIgnoreCase)
            );
            if (hit is not null)
                return hit;
        }
        // A real reflection model writes freely: take the last value it names.
        return lexicon
            .Values.Select(v =>
                (
                    v,
                    at: Math.Max(
                        suggestions.LastIndexOf(v.Name, StringComparison.OrdinalIgnoreCase),
                        suggestions.LastIndexOf(v.Code, StringComparison.OrdinalIgnoreCase)
                    )
                )
            )
            .Where(x => x.at >= 0)
            .OrderByDescending(x => x.at)
            .Select(x => x.v)
            .FirstOrDefault();
    }

    /// <summary>The value the question's wording carries most, or a random one when it carries none.</summary>
    private ValueCues QuestionAnchor(string question, StableRandom rng)
    {
        var cued = lexicon.Read(question);
        return cued.Count > 0
            ? lexicon.ByCode[cued.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key]
            : rng.Pick(lexicon.Values);
    }

    /// <summary>
    /// A value to set against the anchor: from the group opposing it, one the answers and the question left
    /// out, and one the proposal can plausibly cost (a ban costs openness values, a permission costs
    /// conservation values), so that "even if it ..." reads as a real trade-off.
    /// </summary>
    private ValueCues Counter(string anchor, string question, IReadOnlyDictionary<string, int> counts, StableRandom rng)
    {
        var cued = lexicon.Read(question);
        var direction = QuestionReading.Read(question, lexicon, theory).Direction;
        var opposite =
            theory.IndexOf(anchor) >= 0 ? theory.OppositeGroup(anchor).Select(v => v.Code).Where(lexicon.ByCode.ContainsKey).ToList() : [];
        var others = lexicon.Values.Select(v => v.Code).Where(c => c != anchor).ToList();
        bool Fresh(string c) => !cued.ContainsKey(c);
        bool Plausible(string c) => Costs(direction, lexicon.ByCode[c]);
        // Best: the opposite group; when no opposing value is one the proposal can cost, any other value it can.
        var pool = new[]
        {
            opposite.Where(c => Fresh(c) && Plausible(c)).ToList(),
            others.Where(c => Fresh(c) && Plausible(c)).ToList(),
            opposite.Where(Fresh).ToList(),
            others,
        }.First(p => p.Count > 0);
        var least = pool.Min(c => counts.GetValueOrDefault(c));
        var best = pool.Where(c => counts.GetValueOrDefault(c) == least).ToList();
        return lexicon.ByCode[rng.Pick(best)];
    }
}
