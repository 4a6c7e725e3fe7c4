using Adaem.Core.Prompts;

namespace Adaem.Core.Generation;

/// <summary>
/// One bandit step as fixed when its round begins: the arm and why the bandit chose it, the few-shot
/// examples and earlier contexts its explorers are shown, and the dedup index it checks against. A step
/// reads nothing else of the run's state while it plays, so the steps of a round can play at the same
/// time and each one's calls are the same whichever finishes first; the round's results reach the state
/// only when they are merged, in the order the arms were chosen.
/// </summary>
internal sealed class StepPlan
{
    private readonly List<string> _contexts;
    private readonly List<string> _newContexts = [];

    /// <param name="contexts">The arm's most recent contexts when the round began (at most as many as are shown).</param>
    /// <param name="dedup">The run's index itself in a round of one step; else a <see cref="RoundDedupView"/> over it.</param>
    public StepPlan(
        int step,
        int position,
        int roundSize,
        ArmChoice choice,
        Seed arm,
        double meanBefore,
        IReadOnlyList<ExplorationExample> examples,
        IReadOnlyList<string> contexts,
        IDedupIndex dedup
    )
    {
        Step = step;
        Position = position;
        RoundSize = roundSize;
        Choice = choice;
        Arm = arm;
        MeanBefore = meanBefore;
        Examples = examples;
        _contexts = [.. contexts];
        Dedup = dedup;
    }

    /// <summary>The step's number b in the run (1-based; ids, sample indices and the explorer rotation derive from it).</summary>
    public int Step { get; }

    /// <summary>Its place in the round's selection order (0-based): the order its results are merged in.</summary>
    public int Position { get; }
    public int RoundSize { get; }
    public ArmChoice Choice { get; }
    public Seed Arm { get; }

    /// <summary>Q_i when the round began.</summary>
    public double MeanBefore { get; }
    public IReadOnlyList<ExplorationExample> Examples { get; }
    public IDedupIndex Dedup { get; }

    /// <summary>A step alone in its round writes straight into the run's index, exactly as the sequential loop does.</summary>
    public bool Alone => RoundSize == 1;

    /// <summary>The contexts to show the explorer: the arm's when the round began, then this step's own draws', the last <paramref
    /// name="count"/>.</summary>
    public IReadOnlyList<string> Contexts(int count) => _contexts.Skip(Math.Max(0, _contexts.Count - count)).ToList();

    /// <summary>A context one of this step's draws used; later draws of the step see it, the state gets it at the merge.</summary>
    public void AddContext(string information)
    {
        _contexts.Add(information);
        _newContexts.Add(information);
    }

    /// <summary>Contexts found by this step, in draw order.</summary>
    public IReadOnlyList<string> NewContexts => _newContexts;
}

/// <summary>What one step produced before it is merged: candidates dropped at exploration and each accepted candidate's chain.</summary>
/// <param name="Dropped">Candidates dropped at exploration (failed or duplicate), in draw order, with their details as JSON.</param>
/// <param name="Chains">Each accepted candidate's records (the explored question, its refinements, the final one), in draw order.</param>
/// <param name="Explorers">The explorer of each draw.</param>
internal sealed record StepOutcome(
    StepPlan Plan,
    IReadOnlyList<QuestionRecord> Dropped,
    IReadOnlyList<IReadOnlyList<(QuestionRecord Row, CandidateDetails Details)>> Chains,
    IReadOnlyList<string> Explorers
);
