namespace Adaem.Providers.Simulated;

/// <summary>
/// Cue words and phrase banks for the five moral foundations (mft5). Same rules as
/// <see cref="SchwartzCues"/>: disjoint cues, phrases that carry their own foundation only.
/// </summary>
internal static class MoralFoundationsCues
{
    public static readonly IReadOnlyList<ValueCues> All =
    [
        new()
        {
            Code = "care", Name = "Care", Lean = 0, Shared = 1.0,
            Cues = ["harm*", "suffer*", "compassion*", "vulnerable", "cruel*", "kindness", "caring", "care for", "hurt*", "pain*",
                    "wellbeing", "well being", "gentle*", "victim*", "animal*", "poverty", "bullying", "homeless*", "distress*"],
            Points = ["Nobody should be made to suffer", "The vulnerable need shielding{ref}", "It prevents needless harm",
                      "Compassion should guide the decision", "Cruelty is never acceptable", "We must care for those in pain"],
            Justifications = ["the wellbeing of those affected matters more than abstractions", "policies that hurt people{ref} cannot be justified",
                              "kindness toward the weak is a mark of a good society", "victims rarely have a voice in such debates",
                              "a caring approach reduces distress for everyone involved", "preventing suffering should outweigh convenience"],
            Clauses = ["even if it causes real suffering", "even if vulnerable people are hurt"],
        },
        new()
        {
            Code = "fairness", Name = "Fairness", Lean = -1, Shared = 0.8,
            Cues = ["fair", "fairly", "fairness", "unfair*", "justice", "equal*", "unequal*", "rights", "cheat*", "exploit*", "reciproc*",
                    "deserv*", "level playing field", "discriminat*", "bias*", "equity", "tax", "taxes", "taxation", "wage*", "quota*",
                    "affirmative action", "inheritance"],
            Points = ["Everyone deserves equal treatment", "It must be fair to all sides", "People's rights come first",
                      "Nobody should be exploited{ref}", "It must not reward cheating", "Justice requires a level playing field"],
            Justifications = ["treating people unequally{ref} breeds resentment", "reciprocity means people get what they deserve",
                              "privileges for insiders are simply unfair", "equal rights are not negotiable",
                              "discrimination of any kind corrupts the outcome", "exploiting the weak is a plain wrong"],
            Clauses = ["even if it is unfair to some", "even at the cost of equal rights"],
        },
        new()
        {
            Code = "loyalty", Name = "Loyalty", Lean = 1,
            Cues = ["loyal*", "betray*", "patriot*", "solidarity", "allegiance", "in group", "our own", "stand together", "team*", "unity",
                    "nation", "nations", "national", "homeland", "fellow citizens", "community", "communities", "flag", "flags",
                    "national anthem", "military service", "citizenship"],
            Points = ["We should stand together{ref}", "Loyalty to our own matters", "It would betray those who trusted us",
                      "National unity is at stake", "Solidarity holds a people together", "Fellow citizens come first"],
            Justifications = ["a community that abandons its members falls apart", "patriotism gives people a shared purpose",
                              "allegiance to the group is what makes sacrifice possible", "turning on our own{ref} weakens everyone",
                              "teams win when members back each other", "the homeland earns its people's devotion"],
            Clauses = ["even if it divides the nation", "even if it betrays fellow citizens"],
        },
        new()
        {
            Code = "authority", Name = "Authority", Lean = 1,
            Cues = ["authorit*", "respect*", "obey*", "obedien*", "hierarch*", "law and order", "leader*", "elders", "disciplin*",
                    "chain of command", "legitima*", "rule", "rules", "duty", "duties", "deference", "tradition*", "police", "monarch*",
                    "protest*", "curfew*", "dress code*", "parental consent"],
            Points = ["Legitimate institutions should decide", "Respect for leaders keeps things working", "The rules must be obeyed",
                      "Elders know best here", "Social hierarchy exists for a reason", "It upholds law and order{ref}"],
            Justifications = ["discipline and a clear chain of command prevent chaos", "undermining authority{ref} invites disorder",
                              "tradition and deference bind generations", "people have a duty to follow proper procedures",
                              "a leader must be able to count on obedience", "respecting rank avoids endless quarrels"],
            Clauses = ["even if it defies legitimate authority", "even if it breaks the rules"],
        },
        new()
        {
            Code = "sanctity", Name = "Sanctity", Lean = 1,
            Cues = ["pure", "purity", "sacred", "holy", "degrad*", "disgust*", "contaminat*", "sin", "sins", "sinful", "decency", "decent",
                    "chastity", "sanctity", "wholesome", "defile*", "dignity of", "clean living", "spiritual*", "god", "pornograph*",
                    "drug", "drugs", "tattoo*", "cloning", "genetic*", "body modification", "alcohol", "cannabis"],
            Points = ["Some things are sacred", "It would degrade something precious", "Purity of body and mind matters",
                      "It offends basic decency{ref}", "We should keep public life wholesome", "Some acts are simply sinful"],
            Justifications = ["what is disgusting should not be normalised", "the sanctity of life is not up for trade",
                              "contaminating minds{ref} leaves lasting damage", "spiritual life needs shelter from vulgarity",
                              "treating the body as a temple reflects the dignity of human life", "clean living keeps people grounded"],
            Clauses = ["even if it offends sacred beliefs", "even if some find it degrading"],
        },
    ];

    /// <summary>
    /// How a context that evokes a Schwartz value evokes the foundations (contexts are written once, in
    /// Schwartz terms). A rough, documented correspondence, not a claim about the theories.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> FromSchwartz = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["self_direction"] = ["fairness"],
        ["stimulation"] = [],
        ["hedonism"] = ["sanctity"],
        ["achievement"] = ["fairness"],
        ["power"] = ["authority"],
        ["security"] = ["authority", "care"],
        ["tradition"] = ["sanctity", "loyalty", "authority"],
        ["conformity"] = ["authority"],
        ["benevolence"] = ["care", "loyalty"],
        ["universalism"] = ["fairness", "care"],
    };
}
