using Adaem.Core.Evaluation;

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
}
