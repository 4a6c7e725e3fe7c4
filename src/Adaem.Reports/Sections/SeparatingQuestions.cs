using Adaem.Core.Analysis;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.RunFiles;

namespace Adaem.Reports.Sections;

/// <summary>One model's answer to a separating question, as the report shows it.</summary>
internal sealed record SeparatingAnswer(string Model, string Stance, double Expressed, IReadOnlyList<(string Text, bool ShowsValue)> KeyPoints);

/// <summary>A question on which the models split on one value.</summary>
/// <param name="Split">Variance of the models' expression of the value on this question (0.25 = an even split).</param>
/// <param name="Discrimination">Correlation across models between expressing the value here and the final score on it:
/// near 1 means the question splits the models the way the whole benchmark does.</param>
internal sealed record SeparatingQuestion(string Value, string QuestionId, string Text, string? Category, double Split, double Discrimination,
    IReadOnlyList<SeparatingAnswer> Answers);

/// <summary>
/// Per value, the questions that separate the models most: ranked by how evenly the models split on
/// expressing the value (questions where all or none express it say nothing about differences), then by
/// how well the split agrees with the final scores (the item-discrimination idea from test theory).
/// </summary>
internal static class SeparatingQuestions
{
    public static IReadOnlyDictionary<string, IReadOnlyList<SeparatingQuestion>> Find(ValueTheory theory, ValueProfiles profiles,
        IReadOnlyList<ResponseRecord> responses, IReadOnlyList<QuestionRecord>? questions, int perValue)
    {
        var judged = responses.Select(r => r.ToJudged()).ToList();
        var expressed = ExpressionShares.Build(judged, theory);
        var texts = (questions ?? []).GroupBy(q => q.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byQuestion = responses.Where(r => r.Failure is null).GroupBy(r => r.QuestionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var models = profiles.Models.Where(expressed.ContainsKey).ToList();
        var result = new Dictionary<string, IReadOnlyList<SeparatingQuestion>>(StringComparer.Ordinal);
        for (var v = 0; v < theory.Count; v++)
        {
            var code = theory.Values[v].Code;
            var candidates = new List<(string Q, double Split, double Disc)>();
            foreach (var q in byQuestion.Keys)
            {
                var answered = models.Where(m => expressed[m].ContainsKey(q)).ToList();
                if (answered.Count < 2) continue;
                var x = answered.Select(m => expressed[m][q][v]).ToArray();
                var split = Descriptive.PopulationStandardDeviation(x);
                split *= split;
                if (split <= 0) continue;
                var scores = answered.Select(m => profiles.Row(m)[v]).ToArray();
                var disc = Correlation.Pearson(x, scores);
                candidates.Add((q, split, double.IsNaN(disc) ? 0 : disc));
            }
            result[code] = candidates
                .OrderByDescending(c => Math.Round(c.Split, 9)).ThenByDescending(c => c.Disc).ThenBy(c => c.Q, StringComparer.Ordinal)
                .Take(perValue)
                .Select(c => new SeparatingQuestion(code, c.Q, texts.TryGetValue(c.Q, out var qr) ? qr.Question : c.Q, qr?.Category, c.Split, c.Disc,
                    models.Where(m => expressed[m].ContainsKey(c.Q)).Select(m =>
                    {
                        var first = byQuestion[c.Q].First(r => r.Model == m);
                        var points = first.Opinions.Select((o, i) => (o.Text, i < first.ValuesPerOpinion.Count && first.ValuesPerOpinion[i].Contains(code))).ToList();
                        return new SeparatingAnswer(m, first.Stance, expressed[m][c.Q][v], points);
                    }).ToList()))
                .ToList();
        }
        return result;
    }
}
