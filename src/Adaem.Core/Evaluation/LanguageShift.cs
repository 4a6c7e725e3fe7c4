namespace Adaem.Core.Evaluation;

/// <summary>
/// How a model's score on one value moves between two languages of a cross-lingual evaluation: the score in
/// <paramref name="LanguageB"/> minus the score in <paramref name="LanguageA"/>, both from the one relative pool
/// of (model, language) players, with a paired bootstrap interval over the source questions (both scores from
/// the same resamples) and <paramref name="N"/>, the source questions on which the model gave a usable answer in both.
/// </summary>
public sealed record LanguageShift(
    string Model,
    string Value,
    string LanguageA,
    string LanguageB,
    double Shift,
    double? CiLow,
    double? CiHigh,
    int N
)
{
    /// <summary>Whether the interval lies wholly on one side of 0 (the shift is beyond question-sampling noise at the run's
    /// confidence).</summary>
    public bool ExcludesZero => CiLow is { } lo && CiHigh is { } hi && (lo > 0 || hi < 0);
}
