using Adaem.Core.Evaluation;
using Adaem.RunFiles;

namespace Adaem.Pipeline;

/// <summary>Reads a question file for a stage under the config's limits (evaluation.question_warn_chars, question_max_chars).</summary>
internal static class QuestionInput
{
    /// <param name="source">How the console names where the questions came from.</param>
    public static QuestionSet Read(StageContext context, string path, string source)
    {
        var file = QuestionSource.Load(path, QuestionLimits.From(context.Config.Evaluation));
        return new QuestionSet(file.Questions, source) { Warnings = file.Warnings };
    }

    /// <summary>The questions of a checked release, parsed from the bytes whose hash was checked.</summary>
    public static QuestionSet Read(StageContext context, VerifiedBundle release, string source)
    {
        var file = QuestionSource.LoadJsonl(release.QuestionsPath, release.QuestionsBytes, QuestionLimits.From(context.Config.Evaluation));
        return new QuestionSet(file.Questions, source) { Warnings = file.Warnings };
    }
}
