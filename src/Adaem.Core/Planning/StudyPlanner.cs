using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Core.Theory;

namespace Adaem.Core.Planning;

/// <summary>What to plan: the run, and the questions file evaluation would read (as `adaem evaluate --questions`).</summary>
/// <param name="OutDirectory">The run's output folder, where a generated questions.jsonl would be.</param>
/// <param name="Budget">Bandit steps (generate's --budget); null for the config's.</param>
public sealed record PlanRequest(string Run, string OutDirectory, string? QuestionsFile = null, int? Budget = null);

/// <summary>
/// `adaem plan` in Core: before any model call, the calls, tokens, cost and wall time a study will take, per stage,
/// model and prompt role. Without a questions file it plans what `adaem run` does: generation (when the config
/// has a generator pool) and the evaluation of the questions it will select (or of those a generated run has
/// already selected); with one, the evaluation of that file, as `adaem evaluate --questions FILE`. Report asks
/// no model. Nothing here calls a model or writes anything.
/// </summary>
public sealed class StudyPlanner(
    AdaemConfig config,
    ValueTheory theory,
    ITokenCounters counters,
    IPlanPrices prices,
    IPlanHistory history,
    PlanSettings? settings = null
)
{
    public async Task<StudyPlan> PlanAsync(PlanRequest request, IGenerationRecords? records, CancellationToken cancellationToken)
    {
        var context = new PlanContext(config, theory, counters, prices, history, settings ?? new PlanSettings());
        var stages = new List<StagePlan>();
        var generates = request.QuestionsFile is null && config.Generation.Explorers.Count > 0 && config.Generation.Scorers.Count > 0;
        PlannedArms? arms = null;
        var budget = request.Budget ?? config.Generation.Budget;
        if (generates)
        {
            GenerationChecks.Validate(config, request.Run);
            arms = Arms(records, request.Run);
            stages.Add(GenerationPlanner.Plan(context, arms, budget));
        }

        if (config.Judge is not null && config.Evaluation.Targets.Count > 0)
        {
            var questions = await QuestionsAsync(request, records, arms, budget, context, cancellationToken).ConfigureAwait(false);
            if (questions is null)
                context.Assumptions.Add(
                    "evaluate: not planned: no questions yet (no generator pool in the config, no questions.jsonl, none generated); pass --questions FILE"
                );
            else
                stages.Add(EvaluationPlanner.Plan(context, questions));
        }
        stages.Add(new StagePlan("report", [], [], 0, 0));
        context.Assumptions.Add("report: no model calls");
        return new StudyPlan(request.Run, stages, context.Assumptions);
    }

    /// <summary>
    /// The arms the run stored when it started, with the steps it stored and the seeds it scored (generate does not
    /// do those again when it resumes), else those it will choose from the config's seeds.
    /// </summary>
    private PlannedArms Arms(IGenerationRecords? records, string run)
    {
        var stored = records?.LoadArms(run) ?? [];
        if (records is not null && stored.Count > 0)
        {
            return new PlannedArms(stored, true, stored, records.LoadSteps(run).Count, SeedRows.Scored(records, run));
        }
        var seeds = SeedSources.ForConfig(config);
        if (seeds.Count == 0)
            throw new InputException(
                config.Path,
                config.Generation.SeedsLine,
                "the seed set is empty",
                "use 'builtin' or a file with at least one question"
            );
        return new PlannedArms(ArmSelection.Select(seeds, config.Generation.MaxArms, config.Generation.Seed), false, seeds);
    }

    /// <summary>
    /// The questions evaluation will ask, in the order `adaem evaluate` looks for them: --questions, the run's
    /// questions.jsonl, the run's selection in the store; else the questions generation is expected to select,
    /// stood in by the arms' seed questions.
    /// </summary>
    private async Task<PlannedQuestions?> QuestionsAsync(
        PlanRequest request,
        IGenerationRecords? records,
        PlannedArms? arms,
        int budget,
        PlanContext context,
        CancellationToken cancellationToken
    )
    {
        var limits = QuestionLimits.From(config.Evaluation);
        if (request.QuestionsFile is { } file)
        {
            var path = Path.GetFullPath(file);
            if (Directory.Exists(path))
                path = Path.Combine(path, "questions.jsonl");
            return FromFile(path, limits, path);
        }
        var generated = Path.Combine(request.OutDirectory, "questions.jsonl");
        if (File.Exists(generated))
            return FromFile(generated, limits, $"the run's {generated}");
        if (records is not null)
        {
            var g = config.Generation;
            var selected = await QuestionSelection
                .SelectAsync(records, request.Run, g.SelectTop, g.SelectThreshold, null, cancellationToken)
                .ConfigureAwait(false);
            if (selected.Count > 0)
                return new PlannedQuestions(
                    selected.Select(q => q.Question).ToList(),
                    selected.Count,
                    $"the selection of run '{request.Run}' in the store"
                );
        }
        if (arms is null || arms.Arms.Count == 0)
            return null;
        // Every scored candidate is kept with its final score, and the seed questions compete with them.
        var shape = context.Shape;
        var kept = budget * config.Generation.QuestionsPerStep * (shape?.ScoredShare ?? 1.0) + arms.Arms.Count;
        var count = (int)Math.Round(config.Generation.SelectTop is { } top ? Math.Min(top, kept) : kept);
        var threshold = config.Generation.SelectThreshold is null ? "" : "; select_threshold may keep fewer";
        return new PlannedQuestions(
            arms.Arms.Select(a => a.Question).ToList(),
            count,
            $"expected from generation: select_top {config.Generation.SelectTop?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} of about {PlanContext.N(kept)} scored questions{threshold}; the arms' seed questions stand in for their texts"
        );
    }

    private static PlannedQuestions FromFile(string path, QuestionLimits limits, string source)
    {
        var file = QuestionSource.Load(path, limits);
        return new PlannedQuestions(file.Questions.Select(q => q.Text).ToList(), file.Questions.Count, source);
    }
}
