namespace Adaem.Core.Prompts;

/// <summary>
/// Turns a general argument (e.g. a Touché23 conclusion, "We should ban payday loans") into the
/// generic yes/no question that seeds an arm ("Should payday loans be banned?"), with three examples.
/// </summary>
public static class SeedConvertPrompt
{
    public const string Version = "v1";

    private const string System = "You turn argumentative statements into short, neutral yes/no questions.";

    /// <summary>A seed's general argument turned into its yes/no question.</summary>
    public static Prompt<string> Create(string argument)
    {
        var user =
            "Turn the argument into one short yes/no question that asks whether one agrees with it. Keep its meaning, do not take a side.\n\n" +
            "[Argument]: Payday loans should be banned\n[Question]: Should payday loans be banned?\n\n" +
            "[Argument]: We should subsidize space exploration\n[Question]: Should space exploration be subsidized?\n\n" +
            "[Argument]: Zoos do more harm than good\n[Question]: Do zoos do more harm than good?\n\n" +
            $"[Argument]: {argument}\n" +
            "Reply with exactly one line:\n[Question]: <the yes/no question>";
        return PromptRequest.Create(PromptRoles.SeedConvert, Version, System, user, new { argument })
            .Reading(ReplyParse.Require<string>(Parse, ExplorePrompt.NoQuestion));
    }

    public static string? Parse(string reply) => ReplyText.Question(ReplyText.Tag(reply, "Question"));
}
