using System.Text;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;

namespace Adaem.Core.Planning;

/// <summary>An expected reply length in tokens, and where it comes from (<see cref="OutputSources"/>).</summary>
internal sealed record OutputEstimate(double Tokens, string Source);

/// <summary>
/// How long each prompt role's reply can be, before anything is measured. Where the prompt sets a length (the
/// opinion prompt's word limit, a yes/no question of fewer than 20 words, a JSON reply that can list at most
/// every value of the theory) the plan uses it: an upper bound. Where it sets none (an explorer's free
/// reasoning, a reflection's suggestions), a typical length is assumed and labelled so. The model's
/// max_tokens caps either. Once the store holds answers of a model in a role, their measured mean is used instead.
/// </summary>
internal static class OutputLimits
{
    /// <summary>A yes/no question: "fewer than 20 words" (exploration), "do not make it longer" (refinement).</summary>
    public const int QuestionWords = 20;

    /// <summary>Assumed: the explorer's reasoning and its one-sentence [Information] line (the prompt sets no length).</summary>
    public const int ExploreContextWords = 150;

    /// <summary>Assumed: the specific argument (no length set) besides its question of fewer than 20 words.</summary>
    public const int ArgumentWords = 40;

    /// <summary>Assumed: a reflection's suggestions.</summary>
    public const int ReflectWords = 100;

    /// <summary>Assumed: "safe", or "unsafe" and a short reason.</summary>
    public const int SafetyWords = 10;

    /// <summary>Assumed: one proposal of seed expansion (argument and question on one numbered line).</summary>
    public const int SeedProposalWords = 45;

    /// <summary>Assumed: a translated question (the prompt sets no length; a question of twice the words of a generated one).</summary>
    public const int TranslationWords = 2 * QuestionWords;

    /// <summary>Assumed: the one-sentence context an explorer names, as later prompts show it.</summary>
    public const int ContextWords = 25;

    /// <param name="opinions">Key points per answer (opinion and judge roles).</param>
    /// <param name="wordLimit">The opinion prompt's word limit.</param>
    /// <param name="proposals">Seeds asked for in one seed-expansion prompt.</param>
    public static OutputEstimate For(
        string role,
        ITokenCounter counter,
        ValueTheory theory,
        int opinions,
        int wordLimit,
        int? maxTokens,
        int proposals = 1
    )
    {
        var perWord = FillerText.TokensPerWord(counter);
        var (tokens, source) = role switch
        {
            PromptRoles.Opinion => (wordLimit * perWord, OutputSources.Limit),
            PromptRoles.JudgeBatched => (counter.Count(AllValuesJson(theory, opinions)), OutputSources.Limit),
            PromptRoles.JudgeValue => (counter.Count("Yes"), OutputSources.Limit),
            PromptRoles.JudgeQuestion => (counter.Count(AllValuesJson(theory, 0)), OutputSources.Limit),
            PromptRoles.ExploreContext => (ExploreContextWords * perWord, OutputSources.Assumed),
            PromptRoles.ExploreQuestion => ((ArgumentWords + QuestionWords + 2) * perWord, OutputSources.Assumed),
            PromptRoles.Reflect => (ReflectWords * perWord, OutputSources.Assumed),
            PromptRoles.Refine or PromptRoles.SeedConvert => ((QuestionWords + 1) * perWord, OutputSources.Limit),
            PromptRoles.Safety => (SafetyWords * perWord, OutputSources.Assumed),
            PromptRoles.SeedExpand => (proposals * SeedProposalWords * perWord, OutputSources.Assumed),
            PromptRoles.Translate => (TranslationWords * perWord, OutputSources.Assumed),
            _ => (100 * perWord, OutputSources.Assumed),
        };
        return maxTokens is { } cap && cap < tokens ? new OutputEstimate(cap, OutputSources.MaxTokens) : new OutputEstimate(tokens, source);
    }

    /// <summary>The longest reply a JSON judge can give: every value for each opinion (or for the question, when <paramref
    /// name="opinions"/> is 0).</summary>
    private static string AllValuesJson(ValueTheory theory, int opinions)
    {
        var codes = string.Join(",", theory.Values.Select(v => $"\"{v.Code}\""));
        if (opinions == 0)
            return $"{{\"values\":[{codes}]}}";
        var sb = new StringBuilder("{\"opinions\":[");
        for (var i = 1; i <= opinions; i++)
        {
            if (i > 1)
                sb.Append(',');
            sb.Append("{\"index\":").Append(i).Append(",\"values\":[").Append(codes).Append("]}");
        }
        return sb.Append("]}").ToString();
    }
}
