using Adaem.Core.Theory;

namespace Adaem.Core.Evaluation;

/// <summary>
/// Who expressed which value on which question, packed for rating: per question a bitmask of the models
/// that gave a usable (parsed and judged) answer, and per value and question a bitmask of the models that
/// expressed the value. Questions are kept in ordinal order of their ids, so the order responses arrive
/// in never changes a score. With several samples per model and question, a model expresses a value when
/// at least half of its usable samples do.
/// </summary>
public sealed class ExpressionMatrix
{
    private ExpressionMatrix(
        string[] models,
        string[] values,
        string[] questions,
        ulong[] participants,
        ulong[] expressed,
        int[] answered,
        int[] expressedCount
    )
    {
        Models = models;
        Values = values;
        QuestionIds = questions;
        Words = (models.Length + 63) / 64;
        Participants = participants;
        Expressed = expressed;
        Answered = answered;
        ExpressedCount = expressedCount;
    }

    public IReadOnlyList<string> Models { get; }
    public IReadOnlyList<string> Values { get; }
    public IReadOnlyList<string> QuestionIds { get; }

    /// <summary>64-bit words per model mask.</summary>
    internal int Words { get; }

    /// <summary>[question × Words + word]: models with a usable answer.</summary>
    internal ulong[] Participants { get; }

    /// <summary>[(value × questions + question) × Words + word]: models expressing the value.</summary>
    internal ulong[] Expressed { get; }

    /// <summary>Per model: questions with a usable answer (the n of its scores).</summary>
    internal int[] Answered { get; }

    /// <summary>[value × models + model]: questions on which the model expressed the value.</summary>
    internal int[] ExpressedCount { get; }

    /// <summary>Packs judged responses. <paramref name="models"/> fixes the model order (default: ordinal);
    /// responses of other models are ignored. Failed responses count as no answer.</summary>
    public static ExpressionMatrix Build(IReadOnlyList<JudgedResponse> responses, ValueTheory theory, IReadOnlyList<string>? models = null)
    {
        var modelNames = (
            models ?? responses.Select(r => r.Model).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
        ).ToArray();
        var modelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < modelNames.Length; i++)
            modelIndex[modelNames[i]] = i;
        var questions = responses.Select(r => r.QuestionId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var questionIndex = new Dictionary<string, int>(questions.Length, StringComparer.Ordinal);
        for (var i = 0; i < questions.Length; i++)
            questionIndex[questions[i]] = i;
        var valueIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var v = 0; v < theory.Count; v++)
            valueIndex[theory.Values[v].Code] = v;

        int m = modelNames.Length,
            q = questions.Length,
            nv = theory.Count;
        var samples = new int[q * m];
        var hits = new int[(q * m) * nv];
        Span<bool> seen = stackalloc bool[nv];
        foreach (var r in responses)
        {
            if (r.Failed || !modelIndex.TryGetValue(r.Model, out var mi))
                continue;
            var cell = questionIndex[r.QuestionId] * m + mi;
            samples[cell]++;
            seen.Clear();
            foreach (var set in r.ValuesPerOpinion)
            {
                foreach (var code in set)
                {
                    if (valueIndex.TryGetValue(code, out var vi))
                        seen[vi] = true;
                }
            }
            for (var v = 0; v < nv; v++)
            {
                if (seen[v])
                    hits[cell * nv + v]++;
            }
        }
        return FromCounts(modelNames, theory.Values.Select(v => v.Code).ToArray(), questions, samples, hits);
    }

    /// <summary>
    /// Builds the matrix from counts: <paramref name="samples"/>[question × models + model] usable samples and
    /// <paramref name="hits"/>[(question × models + model) × values + value] samples expressing the value.
    /// Used by <see cref="Build"/> and by benchmarks that synthesise judgments without response objects.
    /// </summary>
    public static ExpressionMatrix FromCounts(string[] models, string[] values, string[] questions, int[] samples, int[] hits)
    {
        int m = models.Length,
            q = questions.Length,
            nv = values.Length;
        if (samples.Length != q * m || hits.Length != q * m * nv)
            throw new ArgumentException("count arrays do not match the dimensions");
        var words = (m + 63) / 64;
        var participants = new ulong[q * words];
        var expressed = new ulong[nv * q * words];
        var answered = new int[m];
        var expressedCount = new int[nv * m];
        for (var qi = 0; qi < q; qi++)
        {
            for (var mi = 0; mi < m; mi++)
            {
                var s = samples[qi * m + mi];
                if (s == 0)
                    continue;
                var word = mi >> 6;
                var bit = 1UL << (mi & 63);
                participants[qi * words + word] |= bit;
                answered[mi]++;
                for (var v = 0; v < nv; v++)
                {
                    if (2 * hits[(qi * m + mi) * nv + v] < s)
                        continue;
                    expressed[(v * q + qi) * words + word] |= bit;
                    expressedCount[v * m + mi]++;
                }
            }
        }
        return new ExpressionMatrix(models, values, questions, participants, expressed, answered, expressedCount);
    }

    /// <summary>Share of its answered questions on which the model expressed the value.</summary>
    public double ExpressedRate(int value, int model) =>
        Answered[model] == 0 ? 0 : (double)ExpressedCount[value * Models.Count + model] / Answered[model];

    public int AnsweredCount(int model) => Answered[model];

    /// <summary>Questions on which both models gave a usable answer.</summary>
    public int AnsweredBoth(int a, int b)
    {
        int wa = a >> 6,
            wb = b >> 6;
        ulong ba = 1UL << (a & 63),
            bb = 1UL << (b & 63);
        var n = 0;
        for (var q = 0; q < QuestionIds.Count; q++)
            if ((Participants[q * Words + wa] & ba) != 0 && (Participants[q * Words + wb] & bb) != 0)
                n++;
        return n;
    }
}
