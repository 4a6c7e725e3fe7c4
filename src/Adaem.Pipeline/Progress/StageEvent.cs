using Adaem.Core.Models;

namespace Adaem.Pipeline;

/// <summary>
/// What a stage of a <see cref="Study"/> tells its caller while it works. A stage is a sequence of phases (seed
/// questions scored, bandit steps, answers judged), each with a known number of items; a caller renders them
/// (the CLI as bars or plain lines, a notebook as it likes). Events are reported synchronously on the worker that
/// raised them, possibly from several threads at once: an <see cref="IProgress{T}"/> given to a study must be
/// thread-safe and quick. Counts only move forward.
/// </summary>
/// <param name="Stage">The stage that reports: generate, evaluate, validate baseline, ...</param>
public abstract record StageEvent(string Stage);

/// <summary>The stage's model pool is ready: its live call counters (calls, cache hits, tokens, cost, waits) and the store it
/// writes.</summary>
public sealed record ModelsReady(string Stage, ICallStatistics Calls, string StorePath) : StageEvent(Stage);

/// <summary>A phase of <paramref name="Total"/> items begins, <paramref name="AlreadyDone"/> of them finished by an earlier
/// attempt.</summary>
/// <param name="Deciles">False for short repeated phases, which a plain renderer need not report per tenth.</param>
/// <param name="Group">Phases of one group add up in a stage's summary (default: the phase's own name).</param>
public sealed record PhaseStarted(string Stage, string Phase, int Total, int AlreadyDone = 0, bool Deciles = true, string? Group = null)
    : StageEvent(Stage);

/// <summary>The current phase has <paramref name="Done"/> items finished, <paramref name="Reused"/> of them read back from the
/// store.</summary>
public sealed record PhaseProgressed(string Stage, int Done, int Reused = 0, int Failed = 0, string? Detail = null) : StageEvent(Stage);

/// <summary>One more item of the current phase is finished; <paramref name="Detail"/> says what it was (a bandit step's arm and
/// result).</summary>
public sealed record PhaseAdvanced(string Stage, string? Detail = null) : StageEvent(Stage);

/// <summary>Something the user should know that does not stop the stage (a changed config, an accepted instrument change).</summary>
public sealed record StageWarning(string Stage, string Message) : StageEvent(Stage);

/// <summary>Answers of <paramref name="Model"/> that ended as failures: unreadable replies, and readable ones the judge could not
/// label.</summary>
public sealed record AnswersFailed(string Stage, string Model, int Unreadable, int NotJudged) : StageEvent(Stage);

/// <summary>The run's lease was held by a process that is gone; this stage took it over. <paramref name="Message"/> names the old
/// holder.</summary>
public sealed record LeaseTakenOver(string Stage, string Message) : StageEvent(Stage);
