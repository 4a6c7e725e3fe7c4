using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>The run a loop works on and the knobs it uses (generation config with the CLI's overrides).</summary>
public sealed record GenerationSettings(string Run, GenerationConfig Config)
{
    public const string Stage = "generate";

    /// <summary>Bandit steps B (config budget unless overridden by --budget).</summary>
    public int Budget { get; init; } = Config.Budget;

    /// <summary>k: steps played at once per round (config arms_per_round; 1 = the sequential Algorithm 2).</summary>
    public int ArmsPerRound { get; init; } = Config.ArmsPerRound;

    /// <summary>How many contexts already used for an arm are shown to its explorer.</summary>
    public int ContextsShown { get; init; } = 20;

    /// <summary>ε: the config's `dedup_threshold`, else the default of the similarity backend (set by the caller, which knows
    /// it).</summary>
    public double DedupThreshold { get; init; } = Config.DedupThreshold ?? DedupThresholds.Ngram;

    /// <summary>Questions of earlier benchmarks (generation.exclude), put into the dedup index before the loop; ids start with <see
    /// cref="EarlierBenchmarks.IdPrefix"/>.</summary>
    public IReadOnlyList<(string Id, string Text)> Excluded { get; init; } = [];

    /// <summary>Translates the (English) seed questions into generation.language; null to ask them as written (see <see
    /// cref="Translation.SeedTranslation"/>).</summary>
    public Translation.QuestionTranslator? SeedTranslator { get; init; }
}

/// <summary>What a loop run ended with.</summary>
public sealed record GenerationSummary(
    int Arms,
    int StepsDone,
    int Budget,
    int Kept,
    int Dropped,
    IReadOnlyDictionary<string, int> DropReasons,
    double? BestScore
);

/// <summary>
/// AdAEM's generation loop (Algorithm 2). Before the first step every arm's seed question is scored with
/// the scorers, which starts the arm's mean reward. Then, per step b: UCB picks an arm; N2 times an
/// explorer (rotating from a step-seeded offset) runs the two-step exploration prompt with the arm's
/// general question, its best-scored questions and the contexts already used; the candidate is dropped
/// if it duplicates an existing question; survivors are fast-scored with the explorers, refined while a
/// rewrite gains more than τ (at most max_refinements times), and given a final score with the
/// scorers; the arm's mean moves toward the mean final score of the step. Every candidate and the
/// step are written in one transaction, so stopping at any point loses at most the step in flight,
/// and rerunning replays the stored steps and continues with the same random numbers and the same
/// (cached) model answers.
/// </summary>
public sealed class GenerationLoop
{
    private readonly GenerationSettings _settings;
    private readonly GenerationConfig _config;
    private readonly IModelPool _pool;
    private readonly IGenerationRecords _records;
    private readonly IGenerationProgress _progress;
    private readonly QuestionScorer _scorer;
    private readonly SafetyFilter? _safety;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _dedupEmbeddings;

    /// <summary>generation.language: the explorers explore, reflect and refine in it (seeds stay English; see docs/languages.md).</summary>
    private readonly PromptLanguage _language;
    private readonly Lock _progressLock = new();
    private readonly string? _judgeModel;

    /// <param name="dedupEmbeddings">The configured embedding model for the dedup checks; null for the local n-gram index.</param>
    public GenerationLoop(
        GenerationSettings settings,
        IModelPool pool,
        IOpinionJudging judging,
        IOpinionSimilarity similarity,
        IGenerationRecords records,
        IGenerationProgress? progress = null,
        IEmbeddingGenerator<string, Embedding<float>>? dedupEmbeddings = null
    )
    {
        _dedupEmbeddings = dedupEmbeddings;
        _settings = settings;
        _config = settings.Config;
        _pool = pool;
        _records = records;
        _progress = progress ?? NoProgress.Instance;
        _scorer = new QuestionScorer(judging, similarity, _config.Beta, _config.DisentanglementSign);
        _judgeModel = judging.JudgeModel;
        _language = PromptLanguages.Resolve(_config.Language);
        if (_config.SafetyModel is { } safety)
            _safety = new SafetyFilter(pool.Chat(safety), safety, settings.Run, GenerationSettings.Stage, _language);
        if (_config.Explorers.Count == 0)
            throw new ArgumentException("generation needs at least one explorer", nameof(settings));
        if (_config.Scorers.Count == 0)
            throw new ArgumentException("generation needs at least one scorer", nameof(settings));
        if (settings.Budget > GenerationConfig.MaxBudget)
        {
            throw new InputException(
                "generation.budget",
                null,
                $"a budget of {settings.Budget} steps is more than the {GenerationConfig.MaxBudget} a run can take",
                $"use at most {GenerationConfig.MaxBudget} (the paper used 1500)"
            );
        }
    }

    private string Run => _settings.Run;

    public async Task<GenerationSummary> RunAsync(IReadOnlyList<Seed> seeds, CancellationToken cancellationToken)
    {
        var arms = await PrepareArmsAsync(seeds, cancellationToken).ConfigureAwait(false);
        if (_settings.SeedTranslator is { } translator)
            arms = await TranslateArmsAsync(arms, translator, cancellationToken).ConfigureAwait(false);
        await ScoreSeedsAsync(arms, cancellationToken).ConfigureAwait(false);

        // Earlier benchmarks join the index after the seeds (every time: the index is rebuilt on resume), so no new question
        // repeats one.
        var state = await GenerationState
            .RebuildAsync(
                arms,
                _records.LoadQuestions(Run),
                _records.LoadSteps(Run),
                _settings.Excluded,
                NewDedupIndex(_config.DedupTopK),
                cancellationToken
            )
            .ConfigureAwait(false);
        WarnIfRoundsDiffer(state.StepsDone);
        Report(p => p.StepsStarted(_settings.Budget, Math.Min(state.StepsDone, _settings.Budget)));
        // Rounds start where the stored steps end: a round is stored whole, so a resumed run replays the round it stopped in.
        for (var step = state.StepsDone + 1; step <= _settings.Budget; )
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!state.Bandit.HasPlayableArm)
            {
                Report(p => p.Warning("every arm is retired (all seed questions were dropped by the safety filter); stopping"));
                break;
            }
            var size = Math.Min(_settings.ArmsPerRound, _settings.Budget - step + 1);
            await RoundAsync(state, step, size, cancellationToken).ConfigureAwait(false);
            step += size;
        }
        return Summarize(state);
    }

    /// <summary>
    /// Rounds start where the stored steps end. When those are not a whole number of rounds of k (the last round was cut
    /// short by the smaller budget the run had then, or k changed), the rounds from here on are not those a run planned
    /// with this budget from the start would play (other arms chosen together, other virtual plays), so the extended run
    /// will not equal it; a resumed run whose stored steps are whole rounds does.
    /// </summary>
    private void WarnIfRoundsDiffer(int stepsDone)
    {
        var k = _settings.ArmsPerRound;
        if (k <= 1 || stepsDone == 0 || stepsDone >= _settings.Budget || stepsDone % k == 0)
            return;
        Report(p =>
            p.Warning(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"run '{Run}' has {stepsDone} stored steps, not a whole number of rounds of arms_per_round {k} (its last round was cut short by a smaller budget, or k changed); its rounds continue from step {stepsDone + 1}, so extending it to {_settings.Budget} steps does not give what a run planned with budget {_settings.Budget} from the start gives"
                )
            )
        );
    }

    /// <summary>The run's arms: those stored when it started, or a fresh selection from the seeds (converted and saved).</summary>
    private async Task<IReadOnlyList<Seed>> PrepareArmsAsync(IReadOnlyList<Seed> seeds, CancellationToken cancellationToken)
    {
        var stored = _records.LoadArms(Run);
        if (stored.Count > 0)
        {
            var now = seeds.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var missing = stored.Count(a => !now.Contains(a.Id));
            if (missing > 0)
                Report(p =>
                    p.Warning(
                        $"run '{Run}' keeps the {stored.Count} arms it started with; {missing} of them are not in the current seed set"
                    )
                );
            return stored;
        }
        if (seeds.Count == 0)
            throw new InputException(
                "generation.seeds",
                null,
                "the seed set is empty",
                "use 'builtin' or a file with at least one question"
            );
        if (_config.ExpandSeeds > 0)
            seeds = await ExpandSeedsAsync(seeds, cancellationToken).ConfigureAwait(false);
        var chosen = ArmSelection.Select(seeds, _config.MaxArms, _config.Seed);
        if (chosen.Any(s => s.QuestionByRule))
        {
            // The paper converted arguments with a model; the first explorer does it here, the rule's question is the fallback.
            var converter = new SeedConverter(_pool.Chat(_config.Explorers[0]), Run, GenerationSettings.Stage);
            var converted = new Seed[chosen.Count];
            await Parallel
                .ForEachAsync(
                    Enumerable.Range(0, chosen.Count),
                    new ParallelOptions
                    {
                        MaxDegreeOfParallelism = InFlight([_config.Explorers[0]]),
                        CancellationToken = cancellationToken,
                    },
                    async (i, ct) => converted[i] = await converter.ConvertAsync(chosen[i], ct).ConfigureAwait(false)
                )
                .ConfigureAwait(false);
            chosen = converted;
        }
        _records.SaveArms(Run, chosen);
        return _records.LoadArms(Run);
    }

    /// <summary>
    /// The arms with their seed questions in generation's language (stored arms stay English; the translations are stored
    /// and read back), so the seed question scored and the general question the explorers read are in that language.
    /// </summary>
    private async Task<IReadOnlyList<Seed>> TranslateArmsAsync(
        IReadOnlyList<Seed> arms,
        Translation.QuestionTranslator translator,
        CancellationToken cancellationToken
    )
    {
        var untranslated = new List<string>();
        var translated = await Translation
            .SeedTranslation.TranslateAsync(arms, translator, _language, untranslated, cancellationToken)
            .ConfigureAwait(false);
        if (untranslated.Count > 0)
        {
            Report(p =>
                p.Warning(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{untranslated.Count} of {arms.Count} seed questions could not be translated into {_language.Code} by {translator.Model} (first: {untranslated[0]}); they are asked in English"
                    )
                )
            );
        }
        return translated;
    }

    /// <summary>The seed set with the expander's new seeds (only before the arms are chosen: a run's arms never change).</summary>
    private async Task<IReadOnlyList<Seed>> ExpandSeedsAsync(IReadOnlyList<Seed> seeds, CancellationToken cancellationToken)
    {
        var model = _config.Expander ?? _config.Explorers[0];
        var expansion = new SeedExpansion(
            _pool.Chat(model),
            model,
            _records,
            Run,
            GenerationSettings.Stage,
            NewDedupIndex,
            _settings.DedupThreshold
        );
        Report(p => p.SeedExpansionStarted(_config.ExpandSeeds));
        var result = await expansion.ExpandAsync(seeds, _config.ExpandSeeds, cancellationToken).ConfigureAwait(false);
        Report(p => p.SeedsExpanded(result));
        if (result.Added.Count < result.Requested)
        {
            Report(p =>
                p.Warning(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"seed expansion added {result.Added.Count} of {result.Requested} seeds ({result.Duplicates} proposals were duplicates, {result.Failed} replies unusable)"
                    )
                )
            );
        }
        return seeds.Concat(result.Added).ToList();
    }

    /// <summary>The dedup index of the run: the embedding model's when one is configured, else the local n-gram index.</summary>
    private IDedupIndex NewDedupIndex(int topK) =>
        _dedupEmbeddings is null ? new DedupIndex(topK) : new EmbeddingDedupIndex(_dedupEmbeddings, topK, Run, GenerationSettings.Stage);

    /// <summary>Scores every arm's seed question with the scorers (P2), so Q_i starts on the scale of the rewards.</summary>
    private async Task ScoreSeedsAsync(IReadOnlyList<Seed> arms, CancellationToken cancellationToken)
    {
        var done = SeedRows.Scored(_records, Run);
        var todo = arms.Where(a => !done.Contains(a.Id)).ToList();
        Report(p => p.SeedsStarted(arms.Count, arms.Count - todo.Count));
        if (todo.Count == 0)
            return;
        await Parallel
            .ForEachAsync(
                todo,
                new ParallelOptions { MaxDegreeOfParallelism = SeedScoringWidth(), CancellationToken = cancellationToken },
                async (arm, ct) =>
                {
                    var row = await ScoreSeedAsync(arm, ct).ConfigureAwait(false);
                    _records.SaveQuestions(Run, [row]);
                    Report(p => p.SeedScored(arm.Id, row.FinalScore));
                }
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Seeds scored at once. Each seed in flight holds one call of each scorer (then of the judge) at a time, so
    /// as many seeds as the widest of them admits keep every model's limiter busy; the limiters, not this number,
    /// decide what is sent. A model in batch mode reports its batch size as its capacity, so a batch fills.
    /// </summary>
    private int SeedScoringWidth() => InFlight(_judgeModel is { } judge ? _config.Scorers.Append(judge) : _config.Scorers);

    /// <summary>Calls the widest of <paramref name="models"/> takes at once (its configured concurrency or batch size, as its limiter
    /// reports it).</summary>
    private int InFlight(IEnumerable<string> models) =>
        models
            .Select(m => _pool.Chat(m).GetService<ModelCapacity>()?.Concurrency ?? OpinionJudgingOptions.DefaultWidth)
            .DefaultIfEmpty(1)
            .Max();

    private async Task<QuestionRecord> ScoreSeedAsync(Seed arm, CancellationToken cancellationToken)
    {
        var row = new QuestionRecord
        {
            Id = "seed:" + arm.Id,
            Arm = arm.Id,
            Question = arm.Question,
            Argument = arm.Argument,
            Seed = arm.Question,
            Category = arm.Category,
            Generator = "seed:" + (arm.Source ?? "unknown"),
            Depth = 0,
            Status = QuestionStatus.Seed,
        };
        var details = new CandidateDetails();
        if (_safety is not null)
        {
            var reason = await _safety.CheckAsync(arm.Question, 0, cancellationToken).ConfigureAwait(false);
            if (reason is not null)
                return row with
                {
                    Status = QuestionStatus.Dropped,
                    Reason = reason,
                    ComponentsJson = (details with { Safety = "unsafe" }).ToJson(),
                };
            details = details with { Safety = "safe" };
        }
        var (_, final) = await _scorer
            .ValuesAndScoreAsync(Run, Purposes.FinalScore, ToQuestion(row), _config.Scorers, cancellationToken)
            .ConfigureAwait(false);
        if (!final.Ok)
            return row with { Reason = $"{DropReasons.FinalScoreFailed}: {final.Failure}", ComponentsJson = details.ToJson() };
        return row with { FinalScore = final.Total, ComponentsJson = (details with { Final = final.Components }).ToJson() };
    }

    /// <summary>
    /// One round of <paramref name="size"/> steps: the bandit chooses the arms with virtual plays
    /// (<see cref="TopicBandit.ChooseRound"/>), the steps play at the same time, each from a plan fixed now,
    /// and their results are merged in the order the arms were chosen and stored in one transaction. A round
    /// of one step is the sequential loop's step, call for call.
    /// </summary>
    private async Task RoundAsync(GenerationState state, int firstStep, int size, CancellationToken cancellationToken)
    {
        var plans = state
            .Bandit.ChooseRound(size)
            .Select(
                (choice, i) =>
                {
                    var arm = state.Arms[choice.Arm];
                    var dedup = size == 1 ? state.Dedup : new RoundDedupView(state.Dedup, NewDedupIndex(_config.DedupTopK));
                    return new StepPlan(
                        firstStep + i,
                        i,
                        size,
                        choice,
                        arm,
                        state.Bandit[choice.Arm].Mean,
                        state.Examples(arm.Id, _config.FewShot),
                        state.Contexts(arm.Id, _settings.ContextsShown),
                        dedup
                    );
                }
            )
            .ToList();

        var outcomes = await PlayAllAsync(plans, cancellationToken).ConfigureAwait(false);

        var merged = new List<(BanditStepRecord Step, IReadOnlyList<QuestionRecord> Questions)>(size);
        var summaries = new List<StepSummary>(size);
        foreach (var outcome in outcomes)
        {
            var (record, rows, summary) = await MergeAsync(state, outcome, cancellationToken).ConfigureAwait(false);
            merged.Add((record, rows));
            summaries.Add(summary);
        }
        cancellationToken.ThrowIfCancellationRequested();
        _records.SaveRound(Run, merged);
        foreach (var summary in summaries)
        {
            state.StepDone();
            Report(p => p.StepFinished(summary));
        }
    }

    /// <summary>Plays the round's steps at the same time; the first failure stops the others and is the one rethrown.</summary>
    private async Task<IReadOnlyList<StepOutcome>> PlayAllAsync(IReadOnlyList<StepPlan> plans, CancellationToken cancellationToken)
    {
        if (plans.Count == 1)
            return [await PlayAsync(plans[0], cancellationToken).ConfigureAwait(false)];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var plays = plans
            .Select(async plan =>
            {
                try
                {
                    return await PlayAsync(plan, stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            })
            .ToList();
        try
        {
            return await Task.WhenAll(plays).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
            when (plays.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException)
                    is { } root
            )
        {
            // Another step's failure cancelled this one; report the failure, in selection order.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(root).Throw();
            throw;
        }
    }

    /// <summary>One step's calls (Alg. 2's body): N2 exploration draws one after another, then every accepted candidate's chain at
    /// once.</summary>
    private async Task<StepOutcome> PlayAsync(StepPlan plan, CancellationToken cancellationToken)
    {
        var explorers = _config.Explorers;
        var offset = StepRandom.For(_config.Seed, plan.Step).Next(explorers.Count);
        var general = plan.Arm.Question;

        var dropped = new List<QuestionRecord>();
        var accepted = new List<(QuestionRecord Row, CandidateDetails Details, string Explorer, int Draw)>();
        var used = new List<string>();
        for (var draw = 1; draw <= _config.QuestionsPerStep; draw++)
        {
            var explorer = explorers[(offset + draw - 1) % explorers.Count];
            used.Add(explorer);
            var (row, details) = await ExploreAsync(plan, general, draw, explorer, cancellationToken).ConfigureAwait(false);
            if (row.Status == QuestionStatus.Dropped)
            {
                dropped.Add(row with { ComponentsJson = details.ToJson() });
                continue;
            }
            // Later draws of the same step must not repeat this one.
            await plan.Dedup.AddAsync([(row.Id, row.Question)], cancellationToken).ConfigureAwait(false);
            accepted.Add((row, details, explorer, draw));
        }

        var chains = await Task.WhenAll(
                accepted.Select(c =>
                    ScoreAndRefineAsync(c.Row, c.Details, c.Explorer, general, Sample(plan.Step, c.Draw), cancellationToken)
                )
            )
            .ConfigureAwait(false);
        return new StepOutcome(plan, dropped, chains, used);
    }

    /// <summary>
    /// Brings one played step into the run's state, in selection order: in a round of several steps its
    /// accepted candidates first join the run's index, each checked against what the round's earlier steps
    /// added (a duplicate of one is dropped with its whole chain, as the sequential loop would have dropped
    /// it before scoring); then its records, the arm's update and the step record, as the sequential loop does.
    /// </summary>
    private async Task<(BanditStepRecord Record, IReadOnlyList<QuestionRecord> Rows, StepSummary Summary)> MergeAsync(
        GenerationState state,
        StepOutcome outcome,
        CancellationToken cancellationToken
    )
    {
        var plan = outcome.Plan;
        var choice = plan.Choice;
        var arm = plan.Arm;
        var chains = outcome.Chains.ToList();
        if (!plan.Alone)
        {
            for (var c = 0; c < chains.Count; c++)
            {
                var root = chains[c].First(r => r.Row.Depth == 0).Row;
                if (plan.Position > 0)
                {
                    var dup = await state.Dedup.CheckAsync(root.Question, cancellationToken).ConfigureAwait(false);
                    if (DuplicateReason(dup) is { } reason)
                    {
                        var why = $"{reason} (an earlier step of the same round, found when the round was merged)";
                        chains[c] = chains[c]
                            .Select(r => (r.Row with { Status = QuestionStatus.Dropped, Reason = why }, r.Details))
                            .ToList();
                        continue;
                    }
                }
                await state.Dedup.AddAsync([(root.Id, root.Question)], cancellationToken).ConfigureAwait(false);
            }
        }

        var rows = new List<QuestionRecord>(outcome.Dropped);
        var finalScores = new List<double>();
        var kept = new List<string>();
        foreach (var chain in chains)
        {
            foreach (var (row, details) in chain)
            {
                rows.Add(row with { ComponentsJson = details.ToJson() });
                if (row.Depth > 0 && GenerationState.InDedupIndex(row))
                    await state.Dedup.AddAsync([(row.Id, row.Question)], cancellationToken).ConfigureAwait(false);
                if (row.Status == QuestionStatus.Kept && row.FinalScore is { } s)
                {
                    finalScores.Add(s);
                    kept.Add(row.Id);
                    state.AddScored(arm.Id, row.Question, s);
                }
            }
        }
        foreach (var information in plan.NewContexts)
            state.AddContext(arm.Id, information);

        double? reward = finalScores.Count > 0 ? finalScores.Average() : null;
        state.Bandit.Update(choice.Arm, reward);
        var after = state.Bandit[choice.Arm];
        var record = new BanditStepRecord
        {
            Step = plan.Step,
            Arm = arm.Id,
            Reward = reward,
            Pulls = after.Pulls,
            MeanReward = after.Mean,
            StateJson = new StepDetails
            {
                Ucb = double.IsPositiveInfinity(choice.Index) ? null : choice.Index,
                Bonus = double.IsPositiveInfinity(choice.Bonus) ? null : choice.Bonus,
                TotalPulls = choice.TotalPulls,
                MeanBefore = plan.MeanBefore,
                RoundPosition = plan.Alone ? null : plan.Position + 1,
                VirtualPlays = plan.Alone ? null : choice.PendingOnArm,
                Explorers = outcome.Explorers,
                Candidates = rows.Where(r => r.Depth == 0).Select(r => r.Id).ToList(),
                Kept = kept,
                Scores = finalScores,
                Dropped = rows.Count(r => r.Depth == 0 && r.Status == QuestionStatus.Dropped),
            }.ToJson(),
        };
        var summary = new StepSummary(
            plan.Step,
            _settings.Budget,
            arm.Id,
            _config.QuestionsPerStep,
            kept.Count,
            _config.QuestionsPerStep - kept.Count,
            reward,
            state.BestScore
        );
        return (record, rows, summary);
    }

    /// <summary>One exploration draw: Listing 5 (a new context) then Listing 6 (argument + question), then the dedup check.</summary>
    private async Task<(QuestionRecord Row, CandidateDetails Details)> ExploreAsync(
        StepPlan plan,
        string general,
        int draw,
        string explorer,
        CancellationToken cancellationToken
    )
    {
        var client = _pool.Chat(explorer);
        var step = plan.Step;
        var arm = plan.Arm;
        var sample = Sample(step, draw);
        var row = new QuestionRecord
        {
            Id = CandidateId.For(step, draw),
            Arm = arm.Id,
            Seed = general,
            Category = arm.Category,
            Generator = explorer,
            Step = step,
            Depth = 0,
            Status = QuestionStatus.Kept,
        };
        var details = new CandidateDetails();

        var site = new CallSite(Run, GenerationSettings.Stage, sample);
        var context = await StructuredReply
            .AskAsync(
                client,
                ExplorePrompt.Context(general, plan.Examples, plan.Contexts(_settings.ContextsShown), _config.Period, _language),
                site,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (!context.Ok)
            return (
                row with
                {
                    Status = QuestionStatus.Dropped,
                    Reason = $"{DropReasons.ExploreFailed}: context: {context.Error}",
                },
                details
            );
        var information = context.Value!;
        plan.AddContext(information);
        details = details with { Information = information };

        var composed = await StructuredReply
            .AskAsync(client, ExplorePrompt.Question(general, information, _language), site, cancellationToken)
            .ConfigureAwait(false);
        if (!composed.Ok)
            return (
                row with
                {
                    Status = QuestionStatus.Dropped,
                    Reason = $"{DropReasons.ExploreFailed}: question: {composed.Error}",
                },
                details
            );
        row = row with { Question = composed.Value!.Question, Argument = composed.Value.Argument };

        var dup = await plan.Dedup.CheckAsync(row.Question, cancellationToken).ConfigureAwait(false);
        details = details with { DedupSimilarity = dup.MeanTopK, Nearest = dup.Nearest };
        return DuplicateReason(dup) is { } reason
            ? (row with { Status = QuestionStatus.Dropped, Reason = reason }, details)
            : (row, details);
    }

    /// <summary>Why a dedup check drops a candidate ("code: detail"), or null when it passes.</summary>
    private string? DuplicateReason(DedupResult dup)
    {
        if (dup.ExactDuplicateOf is { } same)
        {
            var code = EarlierBenchmarks.IsExcluded(same) ? DropReasons.InEarlierBenchmark : DropReasons.Duplicate;
            return $"{code}: same text as {same}";
        }
        if (dup.IsDuplicate(_settings.DedupThreshold) && dup.Nearest.Count > 0 && EarlierBenchmarks.IsExcluded(dup.Nearest[0]))
            return $"{DropReasons.InEarlierBenchmark}: mean similarity {dup.MeanTopK.ToString("0.000", CultureInfo.InvariantCulture)} to its nearest, {dup.Nearest[0]}";
        if (dup.IsDuplicate(_settings.DedupThreshold))
        {
            return $"{DropReasons.NearDuplicate}: mean similarity {dup.MeanTopK.ToString("0.000", CultureInfo.InvariantCulture)} to its {dup.Nearest.Count} nearest > {_settings.DedupThreshold.ToString(CultureInfo.InvariantCulture)}";
        }
        return null;
    }

    /// <summary>Safety, fast score, refinement chain and final score of one accepted candidate; returns every version's record.</summary>
    private async Task<IReadOnlyList<(QuestionRecord Row, CandidateDetails Details)>> ScoreAndRefineAsync(
        QuestionRecord row,
        CandidateDetails details,
        string explorer,
        string general,
        int sample,
        CancellationToken cancellationToken
    )
    {
        if (_safety is not null)
        {
            var reason = await _safety.CheckAsync(row.Question, sample, cancellationToken).ConfigureAwait(false);
            if (reason is not null)
                return [(row with { Status = QuestionStatus.Dropped, Reason = reason }, details with { Safety = "unsafe" })];
            details = details with { Safety = "safe" };
        }

        var (values, fast) = await FastScoreAsync(row, cancellationToken).ConfigureAwait(false);
        if (!fast.Ok)
            return [(row with { Status = QuestionStatus.Dropped, Reason = $"{DropReasons.FastScoreFailed}: {fast.Failure}" }, details)];
        row = row with { FastScore = fast.Total };
        details = details with { Fast = fast.Components };

        var refiner = new Refiner(
            _pool.Chat(explorer),
            explorer,
            Run,
            GenerationSettings.Stage,
            _config.RefineThreshold,
            _config.MaxRefinements,
            FastScoreAsync,
            _safety is null ? null : _safety.CheckAsync,
            _language
        );
        var refined = await refiner
            .RefineAsync(new ScoredCandidate(row, details, fast, values), general, sample, cancellationToken)
            .ConfigureAwait(false);

        var result = new List<(QuestionRecord, CandidateDetails)>(refined.Discarded);
        var best = refined.Final;
        var final = await _scorer
            .ScoreAsync(Run, Purposes.FinalScore, ToQuestion(best.Record), best.QuestionValues, _config.Scorers, cancellationToken)
            .ConfigureAwait(false);
        result.Add(
            final.Ok
                ? (
                    best.Record with
                    {
                        Status = QuestionStatus.Kept,
                        FinalScore = final.Total,
                    },
                    best.Details with
                    {
                        Final = final.Components,
                    }
                )
                : (
                    best.Record with
                    {
                        Status = QuestionStatus.Dropped,
                        Reason = $"{DropReasons.FinalScoreFailed}: {final.Failure}",
                    },
                    best.Details
                )
        );
        return result.OrderBy(r => r.Item1.Depth).ToList();
    }

    private async Task<(IReadOnlySet<string> Values, ScoreOutcome Outcome)> FastScoreAsync(
        QuestionRecord row,
        CancellationToken cancellationToken
    )
    {
        return await _scorer
            .ValuesAndScoreAsync(Run, Purposes.FastScore, ToQuestion(row), _config.Explorers, cancellationToken)
            .ConfigureAwait(false);
    }

    private static Question ToQuestion(QuestionRecord row) =>
        new(row.Id, row.Question)
        {
            Argument = row.Argument,
            Seed = row.Seed,
            Category = row.Category,
        };

    /// <summary>
    /// The sample index of a draw's first asks: distinct per (step, draw), so that the same prompt asked again
    /// in a later step or draw is a new sample, not a cache hit. One block of StructuredReply's sample scheme
    /// per step and the draw (1..100) as the repeat, so no re-ask (+1000 × r) lands on another draw's index;
    /// seeds and selection use block 0, which no step uses.
    /// </summary>
    internal static int Sample(int step, int draw) => StructuredReply.Sample(step, draw);

    private GenerationSummary Summarize(GenerationState state)
    {
        var rows = _records.LoadQuestions(Run);
        var reasons = rows.Where(r => r.Status == QuestionStatus.Dropped)
            .GroupBy(r => DropReasons.Code(r.Reason), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new GenerationSummary(
            state.Arms.Count,
            state.StepsDone,
            _settings.Budget,
            rows.Count(r => r.Status == QuestionStatus.Kept),
            rows.Count(r => r.Status == QuestionStatus.Dropped),
            reasons,
            state.BestScore
        );
    }

    private void Report(Action<IGenerationProgress> report)
    {
        lock (_progressLock)
            report(_progress);
    }
}
