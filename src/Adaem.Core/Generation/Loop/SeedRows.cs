namespace Adaem.Core.Generation;

/// <summary>
/// The stored rows of the arms' seed questions (no step, depth 0): written when generate scores a seed before the steps
/// (P2), kept or dropped. Generate, its resume and plan read them alike.
/// </summary>
internal static class SeedRows
{
    public static bool IsSeedRow(QuestionRecord question) => question.Step is null && question.Depth == 0;

    /// <summary>The arms whose seed question is stored: generate does not score them again, and plan does not count them.</summary>
    public static HashSet<string> Scored(IGenerationRecords records, string run) =>
        records.LoadQuestions(run).Where(q => IsSeedRow(q) && q.Arm is not null).Select(q => q.Arm!).ToHashSet(StringComparer.Ordinal);
}
