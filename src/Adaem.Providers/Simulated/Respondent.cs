using System.Text;
using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>
/// A synthetic respondent answering the opinion prompt: a stance and N key points "point: justification".
/// Each point expresses one value drawn with weight evocation(question, v) × priority(v)^λ, where λ grows
/// with the question's specificity: on a generic question everyone falls back on the same broad values,
/// on a specific one the respondent's own priorities decide. With probability <see cref="Noise"/> a point
/// strays: half of those express a random value, half are bland and express none. A system prompt that
/// primes a value (see <see cref="Priming"/>) gives that value the first point and reweighs the rest.
/// </summary>
internal sealed class Respondent(ValueProfile profile, double noise, ValueTheory theory, ValueLexicon lexicon)
{
    /// <summary>
    /// How a primed respondent reweighs the values after its first point (which goes to the primed value):
    /// the primed value may come back, its own group is favoured, the opposite group is pushed out.
    /// </summary>
    private const double PrimedBoost = 1.0,
        SameGroupBoost = 3.0,
        OppositeGroupDamp = 0.2;

    public double Noise { get; } = noise;

    /// <summary>The choice weight of each value (in theory order) for a question, after priming.</summary>
    public double[] Weights(QuestionReading reading, string? primed)
    {
        var lambda = 0.4 + 0.6 * reading.Specificity;
        var same = primed is null ? [] : theory.SameGroup(primed).Select(v => v.Code).ToHashSet(StringComparer.Ordinal);
        var opposite = primed is null ? [] : theory.OppositeGroup(primed).Select(v => v.Code).ToHashSet(StringComparer.Ordinal);
        var weights = new double[lexicon.Values.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            var code = lexicon.Values[i].Code;
            var evocation = reading.Evocation[code];
            var priority = profile[code];
            var factor = 1.0;
            if (code == primed)
            {
                // A primed respondent brings its value in even where the question barely touches it.
                evocation = Math.Max(evocation, 1.0);
                priority = Math.Max(priority, 0.9);
                factor = PrimedBoost;
            }
            else if (same.Contains(code))
                factor = SameGroupBoost;
            else if (opposite.Contains(code))
                factor = OppositeGroupDamp;
            weights[i] = evocation * Math.Pow(priority, lambda) * factor;
        }
        return weights;
    }

    public string Answer(string question, int opinions, string? primed, StableRandom rng)
    {
        var reading = QuestionReading.Read(question, lexicon, theory);
        var weights = Weights(reading, primed);
        var refs = reading.Contexts.Select(c => " " + c.Suffix).Where(s => !lexicon.HasAnyCue(s)).ToList();
        var usedPoints = new HashSet<string>(StringComparer.Ordinal);
        var usedJustifications = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>();
        var lean = 0.0;
        for (var i = 0; i < opinions; i++)
        {
            IReadOnlyList<string> points,
                justifications;
            var r = rng.NextDouble();
            if (r < Noise / 2)
            {
                (points, justifications) = lexicon.Bland;
            }
            else
            {
                var value =
                    r < Noise ? rng.Pick(lexicon.Values)
                    : i == 0 && primed is not null && lexicon.ByCode.TryGetValue(primed, out var p) ? p
                    : lexicon.Values[rng.PickWeighted(weights)];
                points = value.Points;
                justifications = value.Justifications;
                lean += value.Lean * reading.Direction;
            }
            var reference = refs.Count > 0 && rng.Chance(0.5) ? rng.Pick(refs) : "";
            var point = Fill(Fresh(points, usedPoints, rng), reference);
            var justification = Fill(
                Fresh(justifications, usedJustifications, rng),
                reference.Length > 0 ? ""
                    : rng.Chance(0.3) && refs.Count > 0 ? rng.Pick(refs)
                    : ""
            );
            lines.Add(
                lexicon.Language is { } l
                    ? $"{i + 1}. {point}{l.PointSeparator}{justification}{l.LineEnd}"
                    : $"{i + 1}. {point}: {justification}."
            );
        }

        var stance = Stance(reading.Direction, lean, rng);
        var text = new StringBuilder();
        if (lexicon.Language is { } language)
        {
            // Another language: its labels and stance words; the context references of the English phrases are left out.
            text.Append(language.StanceLabel).Append(language.Colon).Append(language.StanceWord(stance, question)).Append('\n');
            text.Append(language.Heading).Append(language.Colon).Append('\n');
        }
        else
        {
            text.Append("Stance: ").Append(stance).Append('\n');
            text.Append("Key Points:\n");
        }
        foreach (var line in lines)
            text.Append(line).Append('\n');
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// The stance follows the values expressed when the question proposes a restriction or a permission
    /// (conservation values back restrictions, openness values permissions); otherwise it is a coin toss.
    /// Stance never feeds the value scores; it only has to be plausible.
    /// </summary>
    private static string Stance(int direction, double lean, StableRandom rng)
    {
        if (direction == 0)
        {
            return rng.PickWeighted([0.45, 0.4, 0.15]) switch
            {
                0 => "yes",
                1 => "no",
                _ => "neutral",
            };
        }
        var score = lean + (rng.NextDouble() - 0.5);
        return score > 0.4 ? "yes"
            : score < -0.4 ? "no"
            : "neutral";
    }

    /// <summary>A phrase not used yet in this answer (phrase banks are larger than any answer).</summary>
    private static string Fresh(IReadOnlyList<string> bank, HashSet<string> used, StableRandom rng)
    {
        var start = rng.Next(bank.Count);
        for (var k = 0; k < bank.Count; k++)
        {
            var candidate = bank[(start + k) % bank.Count];
            if (used.Add(candidate))
                return candidate;
        }
        return bank[start];
    }

    private string Fill(string template, string reference) =>
        template.Replace("{ref}", lexicon.Language is null ? reference : "", StringComparison.Ordinal);
}
