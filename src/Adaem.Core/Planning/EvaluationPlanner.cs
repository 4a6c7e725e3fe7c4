using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Planning;

/// <summary>The questions evaluation will ask: their texts (or stand-ins), how many there will be, and where they come from.</summary>
/// <param name="Texts">The questions' texts; when <paramref name="Count"/> is larger, they stand in for questions not written yet and are
/// cycled.</param>
/// <param name="Source">Where they come from, in words, for the plan's assumptions.</param>
internal sealed record PlannedQuestions(IReadOnlyList<string> Texts, int Count, string Source);

/// <summary>
/// The evaluate stage (the paper's §3.3): every target answers every question `samples` times with the opinion
/// prompt (counted on the real question texts), and the judge labels each answer: one call per answer
/// (batched), or one per key point and value (per-value, the paper's). The judge's prompts hold the key points,
/// which do not exist yet: they are stood in by text as long as the target's answers are expected to be.
/// </summary>
internal static class EvaluationPlanner
{
    public const string Stage = "evaluate";

    public static StagePlan Plan(PlanContext context, PlannedQuestions questions)
    {
        var config = context.Config;
        var e = config.Evaluation;
        var judge = config.Judge!;
        var answers = (double)questions.Count * e.Samples;
        // evaluation.languages: every language's answers and judgments, and the questions translated into each language
        // that is not theirs (the generation language); the translations' lengths are stood in by the source texts.
        var languages = e.Languages.Count == 0 ? [context.EvaluationLanguage] : e.Languages.Select(PromptLanguages.Resolve).ToList();
        foreach (var language in languages)
        {
            if (e.Languages.Count > 0 && language.Code != context.GenerationLanguage.Code && e.Translator is { } translator)
                context.Add(
                    Stage,
                    translator,
                    PromptRoles.Translate,
                    questions.Count,
                    MeanOver(
                        questions,
                        q => context.Count(translator, TranslatePrompt.Create(q, context.GenerationLanguage, language).Messages)
                    ),
                    e.Opinions
                );
            // Targets that count tokens alike see the same prompts: count each question once per tokenizer.
            var byCounter = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var target in e.Targets)
            {
                var counter = context.CounterOf(target).Name;
                if (!byCounter.TryGetValue(counter, out var perQuestion))
                    byCounter[counter] = perQuestion = MeanOver(
                        questions,
                        q => context.Count(target, OpinionPrompt.For(q, e.Opinions, language: language).Messages)
                    );
                context.Add(Stage, target, PromptRoles.Opinion, answers, perQuestion, e.Opinions);
                var (judgeCalls, judgeInput) = context.JudgeCallsPerAnswer(judge.Model, judge.Mode, target, e.Opinions, language);
                context.Add(Stage, judge.Model, PlanContext.JudgeRole(judge.Mode), answers * judgeCalls, judgeInput, e.Opinions);
            }
        }

        var rows = context.Rows(Stage);
        var models = WallTime.ForStage(context, Stage, rows);
        // Targets answer and the judge labels at once (a pipeline); the last answer still waits for its judge.
        var chain =
            e.Targets.Select(t => WallTime.Latency(context, t).Seconds).DefaultIfEmpty(0).Max()
            + WallTime.Latency(context, judge.Model).Seconds;
        var busiest = models.Select(m => m.Seconds).DefaultIfEmpty(0).Max();
        var across = e.Languages.Count == 0 ? "" : $" × {languages.Count} languages ({string.Join(", ", languages.Select(l => l.Code))})";
        context.Assumptions.Add(
            $"evaluate: {PlanContext.N(questions.Count)} questions ({questions.Source}) × {e.Targets.Count} targets{across} × {e.Samples} sample(s); "
                + $"judge '{judge.Model}' in {judge.Mode} mode, {e.Opinions} key points per answer"
        );
        return new StagePlan(Stage, rows, models, questions.Count == 0 ? 0 : busiest + chain, chain);
    }

    /// <summary>The mean of <paramref name="tokens"/> over the question texts (each text once: stand-ins are cycled, so their mean is the
    /// same).</summary>
    internal static double MeanOver(PlannedQuestions questions, Func<string, int> tokens) =>
        questions.Texts.Count == 0 ? 0 : questions.Texts.Average(q => (double)tokens(q));
}
