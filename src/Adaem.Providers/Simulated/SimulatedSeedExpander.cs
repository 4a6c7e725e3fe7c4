using System.Text;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Generation;

namespace Adaem.Providers.Simulated;

/// <summary>
/// The simulated answer to `seed_expand`: new general arguments for a topic category, recombined from a
/// hand-written bank of issues (data/simulated/tables/seed-issues.yaml: a subject and the policies people argue
/// about for it), each with its yes/no question. Subjects carry the cue words of the values they touch (gambling, privacy, faith,
/// police ...), so simulated respondents react to them as to the built-in seeds. An issue whose subject
/// already appears among the examples or the covered arguments is not proposed while fresh subjects remain;
/// after that, other policies on covered subjects are proposed, and only then exact repeats.
/// The choice and order are a pure function of the random stream (model seed, fields, sample).
/// </summary>
internal static class SimulatedSeedExpander
{
    /// <summary>A subject and the policies people argue about for it ("Subject should policy").</summary>
    internal sealed record Issue(string Subject, string[] Policies);

    /// <summary>The issues per seed category, in the table's order (data/simulated/tables/seed-issues.yaml, read once).</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, Issue[]>> Banks = new(
        () => SimulatedTables.Load("seed-issues", Read),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    /// <summary>The issues per seed category.</summary>
    public static IReadOnlyDictionary<string, Issue[]> Issues => Banks.Value;

    /// <summary>Reads the table: 'categories', a mapping from a seed category's name to its list of issues.</summary>
    public static IReadOnlyDictionary<string, Issue[]> Read(YamlSection root, List<InputProblem> problems)
    {
        root.RejectUnknown(["categories"]);
        var banks = new Dictionary<string, Issue[]>(StringComparer.OrdinalIgnoreCase);
        if (root.Section("categories") is not { } categories)
        {
            root.Problem(root.LineOf("categories"), "'categories' is missing or empty", "list the issues under each seed category's name");
            return banks;
        }
        foreach (var category in categories.Keys)
        {
            if (!SeedCategories.All.Contains(category, StringComparer.Ordinal))
            {
                categories.Problem(
                    categories.LineOf(category),
                    $"unknown seed category '{category}'",
                    $"use one of: {string.Join("; ", SeedCategories.All)}"
                );
            }
            var issues = SimulatedTables.Mappings(
                categories,
                category,
                problems,
                "write each issue as '- subject: ...' with 'policies: [...]'"
            );
            banks[category] = [.. issues.Select(ReadIssue)];
        }
        return banks;
    }

    private static Issue ReadIssue(YamlSection issue)
    {
        issue.RejectUnknown(["subject", "policies"]);
        return new Issue(
            issue.RequiredString("subject", "add 'subject:', what the issue is about"),
            SimulatedTables.Strings(issue, "policies")
        );
    }

    /// <summary>The issues of a category; for any other category (or none), all issues.</summary>
    private static IReadOnlyList<Issue> BankFor(string category) =>
        Banks.Value.TryGetValue(category.Trim(), out var bank) ? bank : Banks.Value.Values.SelectMany(b => b).ToList();

    /// <param name="language">The prompt's language (null: English): its tags around the same English proposals.</param>
    public static string Expand(
        string category,
        IReadOnlyList<string> examples,
        int count,
        IReadOnlyList<string> used,
        StableRandom rng,
        SimulatedLanguage? language = null
    )
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
                candidates.Add(
                    (
                        repeated ? 2
                        : subjectCovered ? 1
                        : 0,
                        rng.NextDouble(),
                        issue.Subject,
                        argument
                    )
                );
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
            {
                sb.Append(++n)
                    .Append(". [Argument]: ")
                    .Append(c.Argument)
                    .Append(" [Question]: ")
                    .Append(QuestionText.FromArgument(c.Argument))
                    .Append('\n');
            }
            else
                sb.Append(++n)
                    .Append(". ")
                    .Append(language.Tag("argument"))
                    .Append(c.Argument)
                    .Append(' ')
                    .Append(language.Tag("question"))
                    .Append(QuestionText.FromArgument(c.Argument))
                    .Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The subject's head words (first three), to spot it in a covered argument worded a little differently.</summary>
    private static string Key(string subject) => string.Join(' ', subject.ToLowerInvariant().Split(' ').Take(3));
}
