namespace Adaem.Core.Generation;

/// <summary>
/// A seed topic: one generic yes/no question (the arm's "general question"), the general claim it asks
/// about, and its topic category. <see cref="QuestionByRule"/> marks questions made from an argument by
/// <see cref="ArgumentQuestion"/>'s rule, which a model may rephrase before the run starts.
/// </summary>
public sealed record Seed(string Id, string Question)
{
    public string? Argument { get; init; }
    public string? Category { get; init; }
    public string? Source { get; init; }
    public bool QuestionByRule { get; init; }
}

/// <summary>The nine topic categories of the paper's seed set (App. B, modelled on Wikipedia's list of controversial issues).</summary>
public static class SeedCategories
{
    public const string EntertainmentArts = "Entertainment & Arts";
    public const string PhilosophyBeliefs = "Philosophy & Beliefs";
    public const string TechnologyInnovation = "Technology & Innovation";
    public const string PoliticsInternational = "Politics & International Relations";
    public const string ScienceHealthEnvironment = "Science, Health & Environment";
    public const string LawJusticeRights = "Law, Justice & Human Rights";
    public const string EducationMedia = "Education & Media";
    public const string SocialCultural = "Social & Cultural Issues";
    public const string EconomicsBusiness = "Economics & Business";

    public static readonly IReadOnlyList<string> All =
    [
        EntertainmentArts,
        PhilosophyBeliefs,
        TechnologyInnovation,
        PoliticsInternational,
        ScienceHealthEnvironment,
        LawJusticeRights,
        EducationMedia,
        SocialCultural,
        EconomicsBusiness,
    ];
}
