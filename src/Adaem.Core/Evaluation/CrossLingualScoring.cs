using Adaem.Core.Configuration;
using Adaem.Core.Theory;

namespace Adaem.Core.Evaluation;

/// <summary>The scores of a cross-lingual evaluation (one per model, language and value) and the per-value shifts between its
/// languages.</summary>
public sealed record CrossLingualScores(IReadOnlyList<ValueScore> Scores, IReadOnlyList<LanguageShift> Shifts);

/// <summary>
/// Scores a cross-lingual evaluation (evaluation.languages). Every (model, language) is a player of ONE relative pool
/// per value: on each source question, the players that expressed the value in their language beat those that
/// answered without it (the method's TrueSkill match, §3.3, with more players), so a model's score in Chinese and its
/// score in English are win rates on the same scale and their difference is a shift, not a change of opponents.
/// The shift of a model on a value from language A to language B is its B score minus its A score, with a paired
/// bootstrap interval over the source questions (<see cref="RelativeScoring.ScoreWithDifferences"/>: both scores from
/// the same resamples). The choice is argued in docs/method-choices.md ("Scoring across languages").
/// </summary>
public static class CrossLingualScoring
{
    /// <summary>
    /// Orderings played per bootstrap resample (at most evaluation.orderings). The point estimate averages
    /// evaluation.orderings shuffles; one shuffle per resample (the single-language default) adds TrueSkill's order
    /// noise to every replicate, which for two near-twin players (one model in two languages) dominates their
    /// difference. Measured on examples/languages.yaml (8 players, 40 questions, 200 resamples): mean shift-interval
    /// width 72.6 points with 1 ordering, 55.2 with 8, 52.9 with 32 (docs/method-choices.md, I3).
    /// </summary>
    public const int BootstrapOrderings = 8;

    /// <summary>
    /// Scores <paramref name="responses"/> (each with its <see cref="JudgedResponse.Language"/> and the source question's
    /// id) for <paramref name="models"/> × <paramref name="languages"/>: the scores in model, language (as listed), value
    /// order, each with its language set, and the shifts for every pair of languages (A listed before B) per model and value.
    /// </summary>
    public static CrossLingualScores Score(
        IReadOnlyList<JudgedResponse> responses,
        ValueTheory theory,
        EvaluationConfig config,
        IReadOnlyList<string> models,
        IReadOnlyList<string> languages,
        CancellationToken cancellationToken
    )
    {
        // Players are named by index, so a model or language name with any character in it cannot collide with another.
        var players = new List<string>(models.Count * languages.Count);
        var owner = new List<(string Model, string Language)>();
        var playerOf = new Dictionary<(string, string), string>();
        foreach (var model in models)
        {
            foreach (var language in languages)
            {
                var name = $"p{players.Count}";
                players.Add(name);
                owner.Add((model, language));
                playerOf[(model, language)] = name;
            }
        }
        var renamed = responses
            .Where(r => r.Language is not null && playerOf.ContainsKey((r.Model, r.Language)))
            .Select(r => r with { Model = playerOf[(r.Model, r.Language!)] })
            .ToList();
        var matrix = ExpressionMatrix.Build(renamed, theory, players);

        var pairs = new List<PlayerPair>();
        var pairLanguages = new List<(string Model, string A, string B)>();
        foreach (var model in models)
        {
            for (var a = 0; a < languages.Count; a++)
            {
                for (var b = a + 1; b < languages.Count; b++)
                {
                    pairs.Add(new PlayerPair(playerOf[(model, languages[a])], playerOf[(model, languages[b])]));
                    pairLanguages.Add((model, languages[a], languages[b]));
                }
            }
        }
        var scoring = new RelativeScoring { BootstrapOrderings = Math.Max(1, Math.Min(BootstrapOrderings, config.Orderings)) };
        var (scores, differences) = scoring.ScoreWithDifferences(matrix, config, pairs, cancellationToken);
        var index = players.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var named = scores.Select(s => s with { Model = owner[index[s.Model]].Model, Language = owner[index[s.Model]].Language }).ToList();
        var pairIndex = pairs.Select((p, i) => (p, i)).ToDictionary(x => (x.p.From, x.p.To), x => x.i);
        var shifts = differences
            .Select(d =>
            {
                var (model, a, b) = pairLanguages[pairIndex[(d.From, d.To)]];
                return new LanguageShift(model, d.Value, a, b, d.Difference, d.CiLow, d.CiHigh, d.N);
            })
            .ToList();
        return new CrossLingualScores(named, shifts);
    }
}
