using System.Globalization;

namespace Adaem.Core.Generation;

/// <summary>
/// The ids of a step's candidates: <c>q{step:D5}-{draw}</c> for the question explored by draw n of step b, and
/// <c>.r{depth}</c> after it for its refinements. The draw is written without padding (stored ids keep that form),
/// so ids sort as text in another order than the draws were made once a step has ten or more; whoever needs the
/// order the loop made them in (the state rebuilt on resume) sorts by <see cref="Draw"/>.
/// </summary>
internal static class CandidateId
{
    /// <summary>The id of the question draw <paramref name="draw"/> of step <paramref name="step"/> explored.</summary>
    public static string For(int step, int draw) =>
        $"q{step.ToString("D5", CultureInfo.InvariantCulture)}-{draw.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The draw a candidate's id names (its refinements share it); <see cref="int.MaxValue"/> for an id of another
    /// form.</summary>
    public static int Draw(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
            return int.MaxValue;
        var end = id.IndexOf('.', dash + 1);
        var digits = end < 0 ? id.AsSpan(dash + 1) : id.AsSpan(dash + 1, end - dash - 1);
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var draw) ? draw : int.MaxValue;
    }
}
