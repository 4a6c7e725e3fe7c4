using Adaem.Core.Analysis;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.RunFiles;

namespace Adaem.Reports.Sections;

/// <summary>One model's answer to a separating question, as the report shows it.</summary>
internal sealed record SeparatingAnswer(
    string Model,
    string Stance,
    double Expressed,
    IReadOnlyList<(string Text, bool ShowsValue)> KeyPoints
);

/// <summary>A question on which the models split on one value.</summary>
/// <param name="Split">Variance of the models' expression of the value on this question (0.25 = an even split).</param>
/// <param name="Discrimination">Correlation across models between expressing the value here and the final score on it:
/// near 1 means the question splits the models the way the whole benchmark does.</param>
internal sealed record SeparatingQuestion(
    string Value,
    string QuestionId,
    string Text,
    string? Category,
    double Split,
    double Discrimination,
    IReadOnlyList<SeparatingAnswer> Answers
);

/// <summary>
/// Per value, the questions that separate the models most: ranked by how evenly the models split on
/// expressing the value (questions where all or none express it say nothing about differences), then by
/// how well the split agrees with the final scores (the item-discrimination idea from test theory).
/// </summary>
internal static class SeparatingQuestions
{
    /// <summary>
    /// Ranks the questions on the expression shares of <paramref name="answers"/>, then reads from responses.jsonl the key
    /// points of only the answers it shows (each shown player's first judged answer to each shown question).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<SeparatingQuestion>> Find(
        ValueTheory theory,
        ValueProfiles profiles,
        ResponseSummary answers,
        IReadOnlyList<QuestionRecord>? questions,
        int perValue
    )
    {
        var expressed = answers.Expressed;
        var texts = (questions ?? []).GroupBy(q => q.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var models = profiles.Models.Where(expressed.ContainsKey).ToList();
        // Per question the rows of the models that answered it (in the profiles' order) and their scores; two are needed to split.
        var answered = models
            .SelectMany(m => expressed[m].Keys)
            .Distinct(StringComparer.Ordinal)
            .Select(q => (Q: q, Who: models.Where(m => expressed[m].ContainsKey(q)).ToList()))
            .Where(x => x.Who.Count >= 2)
            .Select(x => (x.Q, Rows: x.Who.Select(m => expressed[m][x.Q]).ToArray(), Scores: x.Who.Select(profiles.Row).ToArray()))
            .ToList();
        // One pair of buffers per number of models answering: 12,310 questions × 10 values need no arrays of their own.
        var buffers = new Dictionary<int, (double[] X, double[] Scores)>();
        var chosen = new List<(string Code, int V, List<(string Q, double Split, double Disc)> Top)>();
        for (var v = 0; v < theory.Count; v++)
        {
            var candidates = new List<(string Q, double Split, double Disc)>();
            foreach (var (q, rows, scoreRows) in answered)
            {
                if (!buffers.TryGetValue(rows.Length, out var buffer))
                    buffers[rows.Length] = buffer = (new double[rows.Length], new double[rows.Length]);
                for (var i = 0; i < rows.Length; i++)
                    buffer.X[i] = rows[i][v];
                var split = Descriptive.PopulationStandardDeviation(buffer.X);
                split *= split;
                if (split <= 0)
                    continue;
                for (var i = 0; i < rows.Length; i++)
                    buffer.Scores[i] = scoreRows[i][v];
                var disc = Correlation.Pearson(buffer.X, buffer.Scores);
                candidates.Add((q, split, double.IsNaN(disc) ? 0 : disc));
            }
            var top = candidates
                .OrderByDescending(c => Math.Round(c.Split, 9))
                .ThenByDescending(c => c.Disc)
                .ThenBy(c => c.Q, StringComparer.Ordinal)
                .Take(perValue)
                .ToList();
            chosen.Add((theory.Values[v].Code, v, top));
        }

        var shown = chosen
            .SelectMany(c => c.Top)
            .Select(c => c.Q)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(q => models.Where(m => expressed[m].ContainsKey(q)).Select(m => answers.FirstLine(m, q)))
            .ToHashSet();
        var records = RunOutputs.ReadResponseLines(answers.Path, shown);
        var result = new Dictionary<string, IReadOnlyList<SeparatingQuestion>>(StringComparer.Ordinal);
        foreach (var (code, v, top) in chosen)
        {
            result[code] = top.Select(c =>
                {
                    var shownAnswers = models
                        .Where(m => expressed[m].ContainsKey(c.Q))
                        .Select(m =>
                        {
                            var first = answers.FirstAnswer(records, m, c.Q);
                            var points = first
                                .Opinions.Select(
                                    (o, i) => (o.Text, i < first.ValuesPerOpinion.Count && first.ValuesPerOpinion[i].Contains(code))
                                )
                                .ToList();
                            return new SeparatingAnswer(m, first.Stance, expressed[m][c.Q][v], points);
                        })
                        .ToList();
                    var text = texts.TryGetValue(c.Q, out var qr) ? qr.Question : c.Q;
                    return new SeparatingQuestion(code, c.Q, text, qr?.Category, c.Split, c.Disc, shownAnswers);
                })
                .ToList();
        }
        return result;
    }
}
