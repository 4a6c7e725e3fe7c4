using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Prompts;

namespace Adaem.Core.Planning;

/// <summary>The arms generation will play: chosen from the seeds as the run will choose them, or those a started run stored.</summary>
/// <param name="Stored">True when the run already chose (and converted, expanded) its arms: none of that is asked again.</param>
/// <param name="Seeds">The whole seed set (seed expansion proposes topics in proportion to its categories).</param>
/// <param name="StepsDone">Bandit steps the run has stored: a resumed run plays only the steps after them.</param>
/// <param name="ScoredSeeds">Ids of the arms whose seed question the run has stored a score for: a resumed run scores only the
/// others.</param>
internal sealed record PlannedArms(
    IReadOnlyList<Seed> Arms,
    bool Stored,
    IReadOnlyList<Seed> Seeds,
    int StepsDone = 0,
    IReadOnlySet<string>? ScoredSeeds = null
)
{
    /// <summary>The arms whose seed question is still to be scored.</summary>
    public IReadOnlyList<Seed> Unscored => ScoredSeeds is { Count: > 0 } done ? Arms.Where(a => !done.Contains(a.Id)).ToList() : Arms;

    /// <summary>The steps still to play for <paramref name="budget"/> (none when the run has played that many).</summary>
    public int StepsLeft(int budget) => Math.Max(0, budget - StepsDone);
}

/// <summary>
/// The generate stage (the paper's Algorithm 2) as calls, per model and prompt role. Before the loop: seed
/// conversion (arguments without a question), seed expansion, and the score of every arm's seed question (the
/// judge reads the question's values, every scorer answers, the judge labels each answer). Then B steps of
/// N2 draws: an explorer's two exploration calls; the candidates that pass the dedup check are fast-scored by
/// the explorers, refined (reflect, rewrite, fast score) and given a final score by the scorers.
/// <para>
/// Two numbers are not in the config: the share of candidates that pass dedup (and safety) to be scored, and the
/// refinement rounds a scored candidate goes through (a round is taken while a rewrite gains more than τ, at most
/// max_refinements). Both are measured on the store's generation runs when any took a step; otherwise every
/// candidate is assumed to pass and each further round is assumed to happen half the time (1 + ½ + ¼ ... rounds),
/// and the plan says so. A run the store has started is planned from where it stands, as generate resumes it: only
/// the seeds it has not scored and the steps after those it stored. Candidates' texts are not known: the arm's seed
/// question stands in for them, and filler text of the expected length for contexts, key points and suggestions.
/// </para>
/// </summary>
internal static class GenerationPlanner
{
    public const string Stage = GenerationSettings.Stage;

    /// <summary>The chance assumed, without measurements, that a refinement round is followed by another.</summary>
    public const double AssumedRoundContinuation = 0.5;

    public static StagePlan Plan(PlanContext context, PlannedArms planned, int budget)
    {
        var config = context.Config;
        var g = config.Generation;
        var judge = g.Judge ?? config.Judge!.Model;
        var mode = config.Judge?.Mode ?? JudgeConfig.Batched;
        var o = g.Opinions;
        var arms = planned.Arms;
        var explorers = g.Explorers;
        var scorers = g.Scorers;
        var safety = g.SafetyModel;
        var L = context.GenerationLanguage;

        if (!planned.Stored)
        {
            var byRule = arms.Where(a => a.QuestionByRule).ToList();
            if (byRule.Count > 0)
                context.Add(
                    Stage,
                    explorers[0],
                    PromptRoles.SeedConvert,
                    byRule.Count,
                    byRule.Average(a =>
                        (double)context.Count(explorers[0], SeedConvertPrompt.Create(a.Argument ?? a.Question, L).Messages)
                    ),
                    o
                );
            if (g.ExpandSeeds > 0)
                PlanExpansion(context, planned.Seeds, g.ExpandSeeds, g.Expander ?? explorers[0]);
            // Generation in another language: the (English) seed questions translated into it once.
            if (Translation.SeedTranslation.Applies(config) && config.Evaluation.Translator is { } translator)
                context.Add(
                    Stage,
                    translator,
                    PromptRoles.Translate,
                    arms.Count,
                    MeanOverArms(
                        arms,
                        q => context.Count(translator, TranslatePrompt.Create(q, Translation.SeedTranslation.SeedLanguage, L).Messages)
                    ),
                    o
                );
        }

        // The arms' seed questions not scored yet, scored by the scorers before the loop.
        var unscored = planned.Unscored;
        var a = (double)unscored.Count;
        if (safety is not null)
            context.Add(
                Stage,
                safety,
                PromptRoles.Safety,
                a,
                MeanOverArms(unscored, q => context.Count(safety, SafetyPrompt.Create(q, L).Messages)),
                o
            );
        context.Add(
            Stage,
            judge,
            PromptRoles.JudgeQuestion,
            a,
            MeanOverArms(unscored, q => context.Count(judge, QuestionValuesPrompt.For(context.Theory, q, L).Messages)),
            o
        );
        ScoreWith(context, scorers, judge, mode, a, unscored);

        // The loop.
        var shape = context.Shape;
        var scoredShare = shape?.ScoredShare ?? 1.0;
        var rounds = shape?.RoundsPerScored ?? AssumedRounds(g.MaxRefinements);
        var scoredRounds = shape?.ScoredRoundShare ?? 1.0;
        // The steps after those the run stored (generate resumes at step StepsDone + 1).
        var steps = planned.StepsLeft(budget);
        var draws = (double)steps * g.QuestionsPerStep;
        var scored = draws * scoredShare;
        var (examples, contexts, withContexts) = ExpectedShown(
            budget,
            g.QuestionsPerStep,
            arms.Count,
            scoredShare,
            g.FewShot,
            context.Settings.ContextsShown,
            Math.Min(planned.StepsDone, budget)
        );
        var contextText = FillerText.OfWords(OutputLimits.ContextWords);
        foreach (var explorer in explorers)
        {
            var share = 1.0 / explorers.Count;
            context.Add(
                Stage,
                explorer,
                PromptRoles.ExploreContext,
                draws * share,
                MeanOverArms(arms, q => ContextPromptTokens(context, explorer, q, contextText, examples, contexts, withContexts, g.Period)),
                o
            );
            context.Add(
                Stage,
                explorer,
                PromptRoles.ExploreQuestion,
                draws * share,
                MeanOverArms(arms, q => context.Count(explorer, ExplorePrompt.Question(q, contextText, L).Messages)),
                o
            );

            // This explorer's candidates: reflection and rewrite are its own calls.
            var mine = scored * share;
            var responses = Responses(context, explorers, o);
            var reflect = MeanOverArms(arms, q => context.Count(explorer, ReflectPrompt.Create(q, q, 5.0, responses, L).Messages));
            context.Add(Stage, explorer, PromptRoles.Reflect, mine * rounds, reflect, o);
            var suggestions = FillerText.OfTokens(context.CounterOf(explorer), context.Output(explorer, PromptRoles.Reflect, o).Tokens);
            context.Add(
                Stage,
                explorer,
                PromptRoles.Refine,
                mine * rounds,
                MeanOverArms(arms, q => context.Count(explorer, RefinePrompt.Create(q, q, suggestions, L).Messages)),
                o
            );
        }
        // Fast scores (the candidate, then each rewrite that got that far): safety, the question's values, the explorers' answers judged.
        var fastScores = scored * (1 + rounds * scoredRounds);
        if (safety is not null)
            context.Add(
                Stage,
                safety,
                PromptRoles.Safety,
                fastScores,
                MeanOverArms(arms, q => context.Count(safety, SafetyPrompt.Create(q, L).Messages)),
                o
            );
        context.Add(
            Stage,
            judge,
            PromptRoles.JudgeQuestion,
            fastScores,
            MeanOverArms(arms, q => context.Count(judge, QuestionValuesPrompt.For(context.Theory, q, L).Messages)),
            o
        );
        ScoreWith(context, explorers, judge, mode, fastScores, arms);
        // The final score of each scored candidate's last version: the scorers' answers judged (its values are known).
        ScoreWith(context, scorers, judge, mode, scored, arms);

        if (planned.StepsDone > 0 || unscored.Count < arms.Count)
            context.Assumptions.Add(
                $"generate: run already started: {PlanContext.N(Math.Min(planned.StepsDone, budget))} of the {PlanContext.N(budget)} steps "
                    + $"and {PlanContext.N(arms.Count - unscored.Count)} of the {PlanContext.N(arms.Count)} seed questions' scores "
                    + "are stored "
                    + $"and not counted; planned: {PlanContext.N(steps)} steps and {PlanContext.N(unscored.Count)} seeds to score"
                    + (
                        planned.StepsDone > budget
                            ? $" (the store holds {PlanContext.N(planned.StepsDone)} steps, more than the budget)"
                            : ""
                    )
            );
        context.Assumptions.Add(
            shape is null
                ? $"generate: {PlanContext.N(arms.Count)} arms, {PlanContext.N(steps)} steps × {g.QuestionsPerStep} candidates; assumed (no generation run in the store yet): "
                    + $"every candidate passes dedup, {rounds:0.00} refinement rounds per candidate (each further round half as likely, at most {g.MaxRefinements}), every rewrite fast-scored. "
                    + "A short pilot (adaem generate --run pilot --budget 10) replaces these by measurements"
                : $"generate: {PlanContext.N(arms.Count)} arms, {PlanContext.N(steps)} steps × {g.QuestionsPerStep} candidates; measured on {PlanContext.N(shape.Candidates)} candidates "
                    + $"of run(s) {string.Join(", ", shape.Runs)}: {PlanContext.P(scoredShare)} pass dedup and are scored, {rounds:0.00} refinement rounds per scored candidate, {PlanContext.P(scoredRounds)} of rewrites fast-scored"
        );

        var rows = context.Rows(Stage);
        var models = WallTime.ForStage(context, Stage, rows);
        var chain = SequentialSeconds(context, unscored.Count, steps, g, judge, safety, rounds, scoredRounds);
        var busiest = models.Select(m => m.Seconds).DefaultIfEmpty(0).Max();
        return new StagePlan(Stage, rows, models, Math.Max(busiest, chain), chain);
    }

    /// <summary>Expected refinement rounds per candidate when nothing is measured: 1 + c + c² + ... (max_refinements terms).</summary>
    public static double AssumedRounds(int maxRefinements) =>
        Enumerable.Range(0, maxRefinements).Sum(k => Math.Pow(AssumedRoundContinuation, k));

    /// <summary>
    /// How many of its arm's best questions (examples) and used contexts an explorer is shown, on average over the run,
    /// if steps spread evenly over the arms: before step b an arm was played about b/A times, each play adding N2
    /// contexts and the scored share of N2 questions; and the share of draws that see any context at all. Only the
    /// steps after <paramref name="stepsDone"/> (those a resumed run still plays) are averaged over.
    /// </summary>
    internal static (double Examples, double Contexts, double WithContexts) ExpectedShown(
        int budget,
        int perStep,
        int arms,
        double scoredShare,
        int fewShot,
        int contextsShown,
        int stepsDone = 0
    )
    {
        if (budget <= stepsDone || arms == 0)
            return (0, 0, 0);
        double examples = 0,
            contexts = 0,
            any = 0;
        for (var b = stepsDone; b < budget; b++)
        {
            var plays = (double)b / arms;
            for (var j = 0; j < perStep; j++)
            {
                examples += Math.Min(fewShot, plays * perStep * scoredShare);
                var c = plays * perStep + j;
                contexts += Math.Min(contextsShown, c);
                any += Math.Min(1, c);
            }
        }
        var n = (double)(budget - stepsDone) * perStep;
        return (examples / n, contexts / n, any / n);
    }

    /// <summary>Tokens of the exploration prompt for a general question with the expected examples and contexts (linear in both).</summary>
    private static double ContextPromptTokens(
        PlanContext context,
        string explorer,
        string general,
        string contextText,
        double examples,
        double contexts,
        double withContexts,
        string? period
    )
    {
        var example = new ExplorationExample(general, 5.0);
        int Tokens(int e, int c) =>
            context.Count(
                explorer,
                ExplorePrompt
                    .Context(
                        general,
                        Enumerable.Repeat(example, e).ToList(),
                        Enumerable.Repeat(contextText, c).ToList(),
                        period,
                        context.GenerationLanguage
                    )
                    .Messages
            );
        var none = Tokens(0, 0);
        var perExample = Tokens(2, 0) - Tokens(1, 0);
        var first = Tokens(1, 0) - none;
        var oneContext = Tokens(0, 1);
        var perContext = Tokens(0, 2) - oneContext;
        var header = oneContext - none - perContext;
        // The first example replaces "(none yet)"; later ones add a line each.
        var exampleTokens = examples <= 0 ? 0 : Math.Min(1, examples) * first + Math.Max(0, examples - 1) * perExample;
        return none + exampleTokens + contexts * perContext + withContexts * header;
    }

    /// <summary>Each model answers (opinion prompt on the arm's question, standing in for the candidate) and the judge labels each
    /// answer.</summary>
    private static void ScoreWith(
        PlanContext context,
        IReadOnlyList<string> models,
        string judge,
        string mode,
        double times,
        IReadOnlyList<Seed> arms
    )
    {
        var o = context.Config.Generation.Opinions;
        foreach (var m in models)
        {
            context.Add(
                Stage,
                m,
                PromptRoles.Opinion,
                times,
                MeanOverArms(arms, q => context.Count(m, OpinionPrompt.For(q, o, language: context.GenerationLanguage).Messages)),
                o
            );
            var (calls, input) = context.JudgeCallsPerAnswer(judge, mode, m, o, context.GenerationLanguage);
            context.Add(Stage, judge, PlanContext.JudgeRole(mode), times * calls, input, o);
        }
    }

    /// <summary>The explorers' answers as the reflection prompt shows them: key points of the expected length, three values each.</summary>
    private static IReadOnlyList<ReflectedResponse> Responses(PlanContext context, IReadOnlyList<string> explorers, int opinions)
    {
        var values = context.Theory.Values.Take(3).Select(v => v.Code).ToList();
        return explorers
            .Select(
                (e, i) => new ReflectedResponse($"m{i}", Enumerable.Repeat(context.OpinionStandIn(e, opinions), opinions).ToList(), values)
            )
            .ToList();
    }

    private static void PlanExpansion(PlanContext context, IReadOnlyList<Seed> seeds, int count, string expander)
    {
        var categories = seeds.GroupBy(s => s.Category ?? "", StringComparer.Ordinal).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var quotas = SeedExpansion.Quotas(categories.Select(c => c.Count()).ToList(), count);
        for (var c = 0; c < categories.Count; c++)
        {
            var examples = categories[c].Take(5).Select(s => s.Argument ?? s.Question).ToList();
            var used = categories[c].Select(s => s.Argument ?? s.Question).TakeLast(SeedExpandPrompt.MaxUsedShown).ToList();
            for (var left = quotas[c]; left > 0; left -= SeedExpansion.MaxPerAsk)
            {
                var ask = Math.Min(left, SeedExpansion.MaxPerAsk);
                context.Add(
                    Stage,
                    expander,
                    PromptRoles.SeedExpand,
                    1,
                    context.Count(
                        expander,
                        SeedExpandPrompt.Create(categories[c].Key, examples, ask, used, context.GenerationLanguage).Messages
                    ),
                    context.Config.Generation.Opinions,
                    ask
                );
            }
        }
    }

    /// <summary>
    /// The calls that wait for each other whatever the limits: seed questions scored a few at a time, then the
    /// steps one after another, each with its draws in turn (two exploration calls each) and then, for its
    /// candidates together, a fast score (question values, answers, judge), the refinement rounds (reflect,
    /// rewrite, fast score) and the final score (answers, judge).
    /// </summary>
    private static double SequentialSeconds(
        PlanContext context,
        int seedsToScore,
        int steps,
        GenerationConfig g,
        string judge,
        string? safety,
        double rounds,
        double scoredRounds
    )
    {
        double L(string m) => WallTime.Latency(context, m).Seconds;
        var explorerMean = g.Explorers.Average(L);
        var explorerMax = g.Explorers.Max(L);
        var scorerMax = g.Scorers.Max(L);
        var s = safety is null ? 0 : L(safety);
        var seeds = Math.Ceiling((double)seedsToScore / context.Settings.SeedParallelism) * (s + L(judge) + scorerMax + L(judge));
        var fast = s + L(judge) + explorerMax + L(judge);
        var step = g.QuestionsPerStep * 2 * explorerMean + fast + rounds * (2 * explorerMean + scoredRounds * fast) + scorerMax + L(judge);
        return seeds + steps * step;
    }

    private static double MeanOverArms(IReadOnlyList<Seed> arms, Func<string, double> tokens) =>
        arms.Count == 0 ? 0 : arms.Average(a => tokens(a.Question));
}
