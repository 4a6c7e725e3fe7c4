using Adaem.Core.Errors;
using Adaem.Core.Prompts;

namespace Adaem.Core.Generation;

/// <summary>
/// Everything the loop knows between steps, rebuilt from the store: the bandit (seed scores, then every
/// finished step's reward replayed in order), the dedup index, each arm's scored questions (for the
/// few-shot examples) and the contexts its explorers already used. Because it is derived only from
/// stored records, a resumed run continues from exactly the state an uninterrupted one would have.
/// </summary>
internal sealed class GenerationState
{
    private readonly Dictionary<string, List<ExplorationExample>> _scored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _contexts = new(StringComparer.Ordinal);

    private GenerationState(IReadOnlyList<Seed> arms, TopicBandit bandit, IDedupIndex dedup, int stepsDone)
    {
        Arms = arms;
        Bandit = bandit;
        Dedup = dedup;
        StepsDone = stepsDone;
    }

    public IReadOnlyList<Seed> Arms { get; }
    public TopicBandit Bandit { get; }
    public IDedupIndex Dedup { get; }
    public int StepsDone { get; private set; }
    public double? BestScore { get; private set; }

    /// <summary>The state with the local dedup index (n-gram cosine).</summary>
    /// <param name="excluded">Earlier benchmarks' questions (generation.exclude), which the loop adds after the seeds.</param>
    public static GenerationState Rebuild(
        IReadOnlyList<Seed> arms,
        IReadOnlyList<QuestionRecord> questions,
        IReadOnlyList<BanditStepRecord> steps,
        int dedupTopK,
        IReadOnlyList<(string Id, string Text)>? excluded = null
    )
    {
        var index = new DedupIndex(dedupTopK);
        var (state, seedRows, stepRows) = Replay(arms, questions, steps, index);
        foreach (var (id, text) in seedRows.Concat(excluded ?? []).Concat(stepRows))
            index.Add(id, text);
        return state;
    }

    /// <summary>
    /// The state with the given (empty) dedup index, filled as the loop filled it: the seed questions, then the earlier
    /// benchmarks' questions (<paramref name="excluded"/>), then every step's (see <see cref="Replay"/>). Exact duplicates
    /// name the first text added and ties among the nearest keep the order added, so the order decides what a later
    /// candidate is said to repeat.
    /// </summary>
    public static async Task<GenerationState> RebuildAsync(
        IReadOnlyList<Seed> arms,
        IReadOnlyList<QuestionRecord> questions,
        IReadOnlyList<BanditStepRecord> steps,
        IReadOnlyList<(string Id, string Text)> excluded,
        IDedupIndex index,
        CancellationToken cancellationToken
    )
    {
        if (index.Count != 0)
            throw new ArgumentException("the dedup index must start empty", nameof(index));
        var (state, seedRows, stepRows) = Replay(arms, questions, steps, index);
        await index.AddAsync(seedRows, cancellationToken).ConfigureAwait(false);
        if (excluded.Count > 0)
            await index.AddAsync(excluded, cancellationToken).ConfigureAwait(false);
        await index.AddAsync(stepRows, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>
    /// Replays the stored records into a new state, and returns the questions that belong in the dedup index in the order
    /// the loop added them: the seeds in arm order; then step by step, the step's explored questions by draw (a step
    /// checks and adds each draw before the next), then the rewrites, draw by draw and deeper after shallower (they
    /// join when the step is merged).
    /// </summary>
    private static (GenerationState State, List<(string Id, string Text)> Seeds, List<(string Id, string Text)> Steps) Replay(
        IReadOnlyList<Seed> arms,
        IReadOnlyList<QuestionRecord> questions,
        IReadOnlyList<BanditStepRecord> steps,
        IDedupIndex index
    )
    {
        var seedsIndexed = new List<(string Id, string Text)>();
        var stepsIndexed = new List<(string Id, string Text)>();
        var bandit = new TopicBandit(arms.Select(a => a.Id).ToList());
        var state = new GenerationState(arms, bandit, index, 0);
        var seedRows = questions.Where(SeedRows.IsSeedRow).ToDictionary(q => q.Arm ?? "", StringComparer.Ordinal);
        for (var i = 0; i < arms.Count; i++)
        {
            if (!seedRows.TryGetValue(arms[i].Id, out var row))
                continue;
            // A seed scored and later found unsafe (at export) still counted as the arm's first play.
            if (row.FinalScore is { } s)
            {
                bandit.Update(i, s);
                state.NoteScore(s);
            }
            if (row.Status == QuestionStatus.Dropped)
                bandit.Retire(i);
            seedsIndexed.Add((row.Id, row.Question));
        }

        // In the order the loop made them: by step, then the explored questions before the rewrites, then by draw
        // (numerically: ids write the draw unpadded, so as text draw 10 sorts before draw 2), then by depth; the explorers
        // see the contexts in this order.
        var stepRows = questions
            .Where(q => q.Step is not null)
            .OrderBy(q => q.Step)
            .ThenBy(q => q.Depth == 0 ? 0 : 1)
            .ThenBy(q => CandidateId.Draw(q.Id))
            .ThenBy(q => q.Depth)
            .ThenBy(q => q.Id, StringComparer.Ordinal);
        foreach (var q in stepRows)
        {
            if (q.Arm is null)
                continue;
            if (q.Depth == 0 && CandidateDetails.FromJson(q.ComponentsJson).Information is { } info)
                state.AddContext(q.Arm, info);
            if (InDedupIndex(q))
                stepsIndexed.Add((q.Id, q.Question));
            if (q.Status == QuestionStatus.Kept && q.FinalScore is { } s)
                state.AddScored(q.Arm, q.Question, s);
        }

        var expected = 1;
        foreach (var step in steps)
        {
            if (step.Step != expected)
                throw new RunFailedException(
                    $"the store has bandit step {step.Step} where step {expected} was expected; the run's records are incomplete"
                );
            var arm = bandit.IndexOf(step.Arm);
            if (arm < 0)
                throw new RunFailedException($"bandit step {step.Step} played arm '{step.Arm}', which is not an arm of this run");
            bandit.Update(arm, step.Reward);
            var after = bandit[arm];
            if (after.Pulls != step.Pulls || Math.Abs(after.Mean - step.MeanReward) > 1e-9)
                throw new RunFailedException(
                    $"replaying bandit step {step.Step} gives C={after.Pulls}, Q={after.Mean} but the store says C={step.Pulls}, Q={step.MeanReward}"
                );
            expected++;
        }
        state.StepsDone = steps.Count;
        return (state, seedsIndexed, stepsIndexed);
    }

    /// <summary>
    /// Which stored questions count as "existing" for dedup: seeds, every explored candidate that passed
    /// the dedup check (whatever happened to it later) and every refinement that was taken.
    /// </summary>
    public static bool InDedupIndex(QuestionRecord q)
    {
        if (q.Question.Length == 0)
            return false;
        if (q.Depth == 0)
        {
            if (q.Status != QuestionStatus.Dropped)
                return true;
            var code = DropReasons.Code(q.Reason);
            return code
                is not (DropReasons.Duplicate or DropReasons.NearDuplicate or DropReasons.InEarlierBenchmark or DropReasons.ExploreFailed);
        }
        return q.Status is QuestionStatus.Kept or QuestionStatus.Superseded
            || (q.Status == QuestionStatus.Dropped && DropReasons.Code(q.Reason) is DropReasons.FinalScoreFailed or DropReasons.Unsafe);
    }

    /// <summary>The arm's best-scored kept questions, best first (ties by text), for the exploration prompt.</summary>
    public IReadOnlyList<ExplorationExample> Examples(string arm, int count) =>
        _scored.TryGetValue(arm, out var list)
            ? list.OrderByDescending(e => e.Score).ThenBy(e => e.Question, StringComparer.Ordinal).Take(count).ToList()
            : [];

    /// <summary>The contexts explorers already used for this arm, most recent last (at most <paramref name="count"/>).</summary>
    public IReadOnlyList<string> Contexts(string arm, int count) =>
        _contexts.TryGetValue(arm, out var list) ? list.Skip(Math.Max(0, list.Count - count)).ToList() : [];

    public void AddContext(string arm, string information)
    {
        if (!_contexts.TryGetValue(arm, out var list))
            _contexts[arm] = list = [];
        list.Add(information);
    }

    public void AddScored(string arm, string question, double score)
    {
        if (!_scored.TryGetValue(arm, out var list))
            _scored[arm] = list = [];
        list.Add(new ExplorationExample(question, score));
        NoteScore(score);
    }

    public void StepDone() => StepsDone++;

    private void NoteScore(double s)
    {
        if (BestScore is null || s > BestScore)
            BestScore = s;
    }
}
