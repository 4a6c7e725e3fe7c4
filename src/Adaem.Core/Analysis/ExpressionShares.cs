using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Core.Analysis;

/// <summary>
/// Per model and question, the share of the model's (non-failed) samples that expressed each value of the
/// theory: 0/1 with one sample per question. This is the raw evidence the scores are built from, and what
/// the question-level analyses (separating questions, the distance permutation test) work on.
/// </summary>
public static class ExpressionShares
{
    public static Dictionary<string, IReadOnlyDictionary<string, double[]>> Build(IEnumerable<JudgedResponse> responses, ValueTheory theory)
    {
        var sums = new Dictionary<string, Dictionary<string, (double[] Sum, int N)>>(StringComparer.Ordinal);
        foreach (var r in responses)
        {
            if (r.Failed)
                continue;
            if (!sums.TryGetValue(r.Model, out var byQuestion))
                sums[r.Model] = byQuestion = new(StringComparer.Ordinal);
            var (sum, n) = byQuestion.TryGetValue(r.QuestionId, out var x) ? x : (new double[theory.Count], 0);
            foreach (var code in r.Expressed)
            {
                var i = theory.IndexOf(code);
                if (i >= 0)
                    sum[i] += 1;
            }
            byQuestion[r.QuestionId] = (sum, n + 1);
        }
        return sums.ToDictionary(
            m => m.Key,
            m =>
                (IReadOnlyDictionary<string, double[]>)
                    m.Value.ToDictionary(q => q.Key, q => q.Value.Sum.Select(s => s / q.Value.N).ToArray(), StringComparer.Ordinal),
            StringComparer.Ordinal
        );
    }
}
