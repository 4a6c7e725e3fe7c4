using Adaem.Core.Evaluation;

namespace Adaem.Core.Generation;

/// <summary>
/// The parts of a question's informativeness score S (the paper's App. C.3) and how they were
/// combined. Stored with every scored question.
/// </summary>
public sealed record ScoreComponents
{
    /// <summary>R_VC: per response, |∪ opinion values| / max(|∩ opinion values|, 1), averaged over models.</summary>
    public double ValueConformity { get; init; }

    /// <summary>R_VD: |E_a ∪ E_b| / max(|E_a ∩ E_b|, 1) over the responses' value sets, averaged over model pairs.</summary>
    public double ValueDiversity { get; init; }

    /// <summary>R_OD: 1 − mean similarity of the opinions of two models, averaged over model pairs.</summary>
    public double OpinionDiversity { get; init; }

    /// <summary>R_Dis: |E_i Δ V_question| (symmetric difference), averaged over models.</summary>
    public double Disentanglement { get; init; }

    /// <summary>S = R_VC + R_VD + R_OD + sign · (β/2) · R_Dis.</summary>
    public double Total { get; init; }
    public double Beta { get; init; }
    public int Sign { get; init; }

    /// <summary>Responses that entered the score.</summary>
    public int Responses { get; init; }

    /// <summary>Responses left out because they could not be parsed or judged (never counted as zeros).</summary>
    public int FailedResponses { get; init; }

    /// <summary>The values the judge found in the question text itself.</summary>
    public IReadOnlyList<string> QuestionValues { get; init; } = [];

    /// <summary>Per model, the values its opinions expressed (union over opinions), sorted.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ModelValues { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// Computes S from one judged response per model and the question's own values. Pure: the opinion
/// similarity is passed in (embeddings or the local n-gram cosine), so it is the same code for the fast
/// score (explorers) and the final score (scorers).
/// </summary>
internal static class InformativenessScore
{
    /// <summary>A score needs at least two answering models: diversity is a property of pairs.</summary>
    public const int MinimumResponses = 2;

    /// <summary>
    /// Returns null when fewer than <see cref="MinimumResponses"/> responses survive (the question cannot
    /// be scored; the caller records that as a failure). Failed responses are excluded and counted.
    /// </summary>
    public static ScoreComponents? Compute(
        IReadOnlyList<JudgedResponse> responses,
        IReadOnlySet<string> questionValues,
        Func<string, string, double> opinionSimilarity,
        double beta,
        int sign
    )
    {
        var valid = responses.Where(r => !r.Failed && r.Response is not null).ToList();
        var failed = responses.Count - valid.Count;
        if (valid.Count < MinimumResponses)
            return null;

        var expressed = valid.Select(r => r.Expressed).ToList();

        var conformity = valid.Average(r => ConformityOf(r.ValuesPerOpinion));

        double diversity = 0,
            opinionDiversity = 0;
        int pairs = 0,
            opinionPairs = 0;
        for (var a = 0; a < valid.Count; a++)
        {
            for (var b = a + 1; b < valid.Count; b++)
            {
                diversity += JaccardDiversity(expressed[a], expressed[b]);
                pairs++;
                if (MeanSimilarity(valid[a].Response!.Opinions, valid[b].Response!.Opinions, opinionSimilarity) is { } sim)
                {
                    opinionDiversity += 1 - sim;
                    opinionPairs++;
                }
            }
        }
        diversity /= pairs;
        opinionDiversity = opinionPairs == 0 ? 0 : opinionDiversity / opinionPairs;

        var disentanglement = expressed.Average(e => SymmetricDifference(e, questionValues));
        var total = Combine(conformity, diversity, opinionDiversity, disentanglement, sign, beta);

        return new ScoreComponents
        {
            ValueConformity = conformity,
            ValueDiversity = diversity,
            OpinionDiversity = opinionDiversity,
            Disentanglement = disentanglement,
            Total = total,
            Beta = beta,
            Sign = sign,
            Responses = valid.Count,
            FailedResponses = failed,
            QuestionValues = questionValues.Order(StringComparer.Ordinal).ToList(),
            ModelValues = valid
                .Select((r, i) => (r.Model, Values: (IReadOnlyList<string>)expressed[i].Order(StringComparer.Ordinal).ToList()))
                .GroupBy(x => x.Model, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Values, StringComparer.Ordinal),
        };
    }

    /// <summary>S = R_VC + R_VD + R_OD + sign · (β/2) · R_Dis: the one place the parts are combined.</summary>
    public static double Combine(
        double conformity,
        double diversity,
        double opinionDiversity,
        double disentanglement,
        int sign,
        double beta
    ) => conformity + diversity + opinionDiversity + sign * (beta / 2) * disentanglement;

    /// <summary>|∪ v^l| / max(|∩ v^l|, 1) over the opinions of one response; 0 for a response without opinions.</summary>
    public static double ConformityOf(IReadOnlyList<IReadOnlySet<string>> valuesPerOpinion)
    {
        if (valuesPerOpinion.Count == 0)
            return 0;
        var union = new HashSet<string>(StringComparer.Ordinal);
        HashSet<string>? intersection = null;
        foreach (var v in valuesPerOpinion)
        {
            union.UnionWith(v);
            if (intersection is null)
                intersection = new HashSet<string>(v, StringComparer.Ordinal);
            else
                intersection.IntersectWith(v);
        }
        return (double)union.Count / Math.Max(intersection!.Count, 1);
    }

    /// <summary>The paper's "Jaccard diversity" |a ∪ b| / max(|a ∩ b|, 1) (printed with min, which would divide by zero).</summary>
    public static double JaccardDiversity(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        var union = a.Count + b.Count;
        var inter = 0;
        foreach (var x in a)
            if (b.Contains(x))
                inter++;
        union -= inter;
        return (double)union / Math.Max(inter, 1);
    }

    public static int SymmetricDifference(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        var inter = 0;
        foreach (var x in a)
            if (b.Contains(x))
                inter++;
        return a.Count + b.Count - 2 * inter;
    }

    /// <summary>Mean similarity over all opinion pairs of two responses; null when either has no opinions.</summary>
    private static double? MeanSimilarity(IReadOnlyList<Opinion> a, IReadOnlyList<Opinion> b, Func<string, string, double> similarity)
    {
        if (a.Count == 0 || b.Count == 0)
            return null;
        double sum = 0;
        foreach (var x in a)
        foreach (var y in b)
            sum += Math.Clamp(similarity(x.Text, y.Text), 0, 1);
        return sum / (a.Count * b.Count);
    }
}
