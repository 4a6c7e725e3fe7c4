using System.Text;
using Adaem.Core.Generation;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated answer to `seed_expand`: new general arguments for a topic category, recombined from a
/// hand-written bank of issues (a subject and the policies people argue about for it), each with its
/// yes/no question. Subjects carry the cue words of the values they touch (gambling, privacy, faith,
/// police ...), so simulated respondents react to them as to the built-in seeds. An issue whose subject
/// already appears among the examples or the covered arguments is not proposed while fresh subjects remain;
/// after that, other policies on covered subjects are proposed, and only then exact repeats.
/// The choice and order are a pure function of the random stream (model seed, fields, sample).
/// </summary>
internal static class SimulatedSeedExpander
{
    private sealed record Issue(string Subject, string[] Policies);

    private static readonly IReadOnlyDictionary<string, Issue[]> Banks = new Dictionary<string, Issue[]>(StringComparer.OrdinalIgnoreCase)
    {
        [SeedCategories.EntertainmentArts] =
        [
            new("gambling advertisements during sports broadcasts", ["be banned", "be restricted to late-night hours"]),
            new("video game loot boxes", ["be treated as gambling", "be banned for minors"]),
            new("reality television shows", ["face stricter rules on participant safety", "lose their public broadcasting slots"]),
            new("nightlife venues in residential districts", ["close by midnight", "pay for neighbourhood noise protection"]),
            new("graffiti murals in historic city centres", ["be protected as public art", "be removed as vandalism"]),
            new("professional boxing", ["be banned because of the risk of brain injury", "receive public funding for youth clubs"]),
            new("streaming platforms", ["be required to fund local film production", "carry age ratings set by the state"]),
            new("music festivals", ["be alcohol-free", "receive public funding as cultural heritage"]),
        ],
        [SeedCategories.PhilosophyBeliefs] =
        [
            new("blasphemy laws", ["be abolished", "protect every faith equally"]),
            new("religious symbols in public offices", ["be banned", "be allowed as an expression of freedom"]),
            new("prayer at the opening of parliament", ["be ended", "be kept as a tradition"]),
            new("astrology courses at public universities", ["be closed", "be taught as cultural heritage"]),
            new("faith-based charities", ["receive public money for social work", "be required to serve everyone equally"]),
            new("traditional rites of passage for children", ["be regulated by law", "be left to families and their customs"]),
            new("moral philosophy classes", ["be compulsory in secondary schools", "replace religious education"]),
            new("spiritual healing practices", ["be covered by public health insurance", "be banned from advertising health claims"]),
        ],
        [SeedCategories.TechnologyInnovation] =
        [
            new("facial recognition cameras in public spaces", ["be banned to protect privacy", "be used by police to fight crime"]),
            new("self-driving delivery robots", ["be allowed on pavements", "be banned until they are proven safe"]),
            new("smartphone use in primary schools", ["be banned", "be left to the choice of parents"]),
            new("encrypted messaging apps", ["give police a way to read messages", "stay fully private"]),
            new("space tourism flights", ["be taxed for their carbon emissions", "receive public support as innovation"]),
            new("gene editing of crops", ["be allowed without special labels", "be banned to protect nature"]),
            new("artificial intelligence in hiring", ["be banned", "be audited for discrimination"]),
            new("cryptocurrency mining", ["be banned for its energy use", "be left to market competition"]),
        ],
        [SeedCategories.PoliticsInternational] =
        [
            new("military alliances", ["be expanded to deter threats", "be replaced by neutral diplomacy"]),
            new("foreign aid budgets", ["be cut in times of crisis", "be tied to human rights records"]),
            new("economic sanctions on authoritarian states", ["be lifted to help their people", "be tightened"]),
            new("dual citizenship", ["be allowed for everyone", "be restricted for public officials"]),
            new("border walls", ["be built to control immigration", "be torn down"]),
            new("lobbying by foreign governments", ["be banned", "be allowed if it is made public"]),
            new("national service for young adults", ["be compulsory", "be voluntary"]),
            new("referendums on independence", ["be allowed whenever a region asks", "require approval by the whole country"]),
        ],
        [SeedCategories.ScienceHealthEnvironment] =
        [
            new("nuclear power plants", ["replace coal to fight climate change", "be phased out for safety"]),
            new("junk food advertising to children", ["be banned", "be left to parents to manage"]),
            new("animal testing for medicines", ["be banned", "be allowed when no alternative exists"]),
            new("childhood vaccination", ["be compulsory for school entry", "be left to parental choice"]),
            new("meat consumption", ["be taxed for its carbon emissions", "be left to personal choice"]),
            new("deep-sea mining", ["be banned to protect nature", "be allowed for battery metals"]),
            new("sugar in soft drinks", ["be taxed more heavily", "be capped by law"]),
            new("recreational cannabis", ["be legalised", "stay banned for public health"]),
        ],
        [SeedCategories.LawJusticeRights] =
        [
            new("life sentences without parole", ["be abolished", "be used for the most serious crimes"]),
            new("police body cameras", ["be mandatory", "be switched off at the officer's discretion"]),
            new("juries in criminal trials", ["be replaced by professional judges", "be kept as a right of the accused"]),
            new("prisoners", ["keep the right to vote", "lose the right to vote"]),
            new("hate speech laws", ["be widened to protect more groups", "be repealed to protect free speech"]),
            new("private prisons", ["be banned", "compete with state prisons"]),
            new("euthanasia for the terminally ill", ["be legal", "stay a crime"]),
            new("anonymous online accounts", ["be banned to fight harassment", "be protected for privacy"]),
        ],
        [SeedCategories.EducationMedia] =
        [
            new("school uniforms", ["be mandatory", "be abolished"]),
            new("homework in primary school", ["be banned", "be required every day"]),
            new("public broadcasters", ["be funded by a licence fee", "be privatised"]),
            new("homeschooling", ["be allowed without inspection", "be banned"]),
            new("exam rankings of schools", ["be published", "be kept private"]),
            new("tabloid newspapers", ["face a press regulator with fines", "be left to self-regulation"]),
            new("religious schools", ["receive public funding", "lose public funding"]),
            new("university tuition", ["be free for everyone", "be paid by students who benefit"]),
        ],
        [SeedCategories.SocialCultural] =
        [
            new("same-sex marriage", ["be recognised in every country", "be decided by referendum"]),
            new("curfews for teenagers", ["be set by cities", "be left to families"]),
            new("dress codes in public places", ["be banned", "be set by local customs"]),
            new("surrogate motherhood", ["be legal and paid", "be banned"]),
            new("care for elderly parents", ["be a legal duty of their children", "be the job of the state"]),
            new("alcohol sales on holy days", ["be banned", "be allowed as on any other day"]),
            new("immigrants", ["be required to learn the national language", "keep their own customs without pressure"]),
            new("parental leave", ["be split equally between both parents", "be left to each family's choice"]),
        ],
        [SeedCategories.EconomicsBusiness] =
        [
            new("billionaires", ["pay a wealth tax", "be free to keep what they earn"]),
            new("a four-day work week", ["be required by law", "be left to employers"]),
            new("rent control", ["be introduced in every city", "be abolished"]),
            new("tech monopolies", ["be broken up", "be left alone while they serve customers"]),
            new("a universal basic income", ["replace welfare benefits", "be rejected as a disincentive to work"]),
            new("inheritance", ["be taxed heavily", "pass to families tax-free"]),
            new("executive pay", ["be capped by law", "be set by the market"]),
            new("shops", ["be allowed to open on the sabbath", "close on Sundays"]),
        ],
    };

    /// <summary>The issues of a category; for any other category (or none), all issues.</summary>
    private static IReadOnlyList<Issue> BankFor(string category) =>
        Banks.TryGetValue(category.Trim(), out var bank) ? bank : Banks.Values.SelectMany(b => b).ToList();

    /// <param name="language">The prompt's language (null: English): its tags around the same English proposals.</param>
    public static string Expand(string category, IReadOnlyList<string> examples, int count, IReadOnlyList<string> used, StableRandom rng,
        SimulatedLanguage? language = null)
    {
        count = Math.Clamp(count, 1, 50);
        var covered = examples.Concat(used).Select(t => t.ToLowerInvariant()).ToList();
        var candidates = new List<(int Tier, double Order, string Subject, string Argument)>();
        foreach (var issue in BankFor(category))
        {
            var subjectCovered = covered.Any(c => c.Contains(Key(issue.Subject), StringComparison.Ordinal));
            foreach (var policy in issue.Policies)
            {
                var argument = $"{QuestionText.Capitalise(issue.Subject)} should {policy}";
                var repeated = covered.Any(c => c.Contains(argument.ToLowerInvariant(), StringComparison.Ordinal));
                candidates.Add((repeated ? 2 : subjectCovered ? 1 : 0, rng.NextDouble(), issue.Subject, argument));
            }
        }
        // One policy per fresh subject first (two policies on one subject are nearly one topic), then the rest in order.
        var ordered = candidates.OrderBy(c => c.Tier).ThenBy(c => c.Order).ToList();
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        var first = ordered.Where(c => c.Tier == 0 && subjects.Add(c.Subject)).ToList();
        var chosen = first.Concat(ordered.Except(first)).Take(count);
        var sb = new StringBuilder();
        var n = 0;
        foreach (var c in chosen)
        {
            if (language is null)
                sb.Append(++n).Append(". [Argument]: ").Append(c.Argument).Append(" [Question]: ").Append(QuestionText.FromArgument(c.Argument)).Append('\n');
            else
                sb.Append(++n).Append(". ").Append(language.Tag("argument")).Append(c.Argument).Append(' ').Append(language.Tag("question"))
                  .Append(QuestionText.FromArgument(c.Argument)).Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The subject's head words (first three), to spot it in a covered argument worded a little differently.</summary>
    private static string Key(string subject) => string.Join(' ', subject.ToLowerInvariant().Split(' ').Take(3));
}
