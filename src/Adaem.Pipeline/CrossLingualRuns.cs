using Adaem.Core.Errors;

namespace Adaem.Pipeline;

/// <summary>What the commands that read a run evaluated in one language say when given a cross-lingual one.</summary>
internal static class CrossLingualRuns
{
    /// <summary>Exit 2: <paramref name="what"/> reads one language's answers and scores, and this run holds several.</summary>
    public static InputException NotSupported(string file, string run, string what) =>
        new(
            file,
            null,
            $"run '{run}' is a cross-lingual evaluation (evaluation.languages): its answers and scores are per language, and {what} reads a run evaluated in one language",
            "compare its languages in its report (section \"Across languages\", shifts.csv); for this analysis, evaluate a run in one language (evaluation.language, another --run)"
        );
}
