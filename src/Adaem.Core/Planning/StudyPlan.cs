namespace Adaem.Core.Planning;

/// <summary>Where a plan's output token count for a model and prompt role comes from.</summary>
public static class OutputSources
{
    /// <summary>The mean of this model's answers in this role, in the store's ledger.</summary>
    public const string Measured = "measured";

    /// <summary>The mean of other models' answers in this role, in the store's ledger (this model has none yet).</summary>
    public const string MeasuredRole = "measured (other models)";

    /// <summary>The length the prompt allows (e.g. "under 250 words", a JSON reply listing every value): an upper bound.</summary>
    public const string Limit = "limit";

    /// <summary>The model's max_tokens, lower than what the prompt allows.</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>The prompt sets no length (free reasoning, suggestions): a typical length adaem assumes.</summary>
    public const string Assumed = "assumed";
}

/// <summary>
/// The expected calls of one model in one prompt role of one stage, with their tokens and cost.
/// Tokens are totals over the calls; <see cref="Cost"/> is null when the model's price is unknown (never 0 for that).
/// </summary>
/// <param name="Counting">How input tokens were counted: an encoding (o200k_base, cl100k_base), the simulated pool's rule, or an
/// estimate.</param>
/// <param name="Estimate">True when <paramref name="Counting"/> is no real tokenizer of the model.</param>
/// <param name="OutputSource">One of <see cref="OutputSources"/>.</param>
public sealed record PlannedCalls(
    string Stage,
    string Model,
    string Role,
    double Calls,
    double InputTokens,
    double OutputTokens,
    string Counting,
    bool Estimate,
    string OutputSource,
    double? Cost
)
{
    public double Tokens => InputTokens + OutputTokens;
}

/// <summary>
/// How fast one model can take a stage's calls under its limits: the throughput the tightest of
/// concurrency / latency, rpm and tpm allows, and the time its calls need at that rate.
/// </summary>
/// <param name="LatencySource">"measured" (mean latency of its calls in the ledger), "assumed" (--latency) or "in-process".</param>
/// <param name="Bound">Which limit sets the rate: "concurrency", "rpm", "tpm" or "none".</param>
public sealed record ModelThroughput(
    string Stage,
    string Model,
    double Calls,
    double LatencySeconds,
    string LatencySource,
    int Concurrency,
    int? Rpm,
    int? Tpm,
    double CallsPerSecond,
    string Bound,
    double Seconds
);

/// <summary>One stage of the plan: its calls by model and role, the models' rates, and the wall time the limits and latencies
/// allow.</summary>
/// <param name="Seconds">Expected wall time: the larger of the busiest model's time at its rate and the chain of calls that must wait for
/// each other.</param>
/// <param name="SequentialSeconds">The part of the wall time that latencies impose whatever the limits (generation's steps run one after
/// another).</param>
public sealed record StagePlan(
    string Stage,
    IReadOnlyList<PlannedCalls> Calls,
    IReadOnlyList<ModelThroughput> Models,
    double Seconds,
    double SequentialSeconds
)
{
    public double TotalCalls => Calls.Sum(c => c.Calls);
    public double InputTokens => Calls.Sum(c => c.InputTokens);
    public double OutputTokens => Calls.Sum(c => c.OutputTokens);

    /// <summary>Null when any model of the stage has an unknown price.</summary>
    public double? Cost => Calls.Any(c => c.Cost is null && c.Calls > 0) ? null : Calls.Sum(c => c.Cost ?? 0);

    /// <summary>The part of the cost that is known (for "≥ X" when some prices are unknown).</summary>
    public double KnownCost => Calls.Sum(c => c.Cost ?? 0);
}

/// <summary>What `adaem plan` expects a study (or one run of it) to ask, cost and take, before any model is called.</summary>
/// <param name="Assumptions">Every number the plan had to assume or measure beyond the config, in words, for the reader to check.</param>
public sealed record StudyPlan(string Run, IReadOnlyList<StagePlan> Stages, IReadOnlyList<string> Assumptions)
{
    public double TotalCalls => Stages.Sum(s => s.TotalCalls);
    public double InputTokens => Stages.Sum(s => s.InputTokens);
    public double OutputTokens => Stages.Sum(s => s.OutputTokens);
    public double? Cost => Stages.Any(s => s.Cost is null) ? null : Stages.Sum(s => s.Cost!.Value);
    public double KnownCost => Stages.Sum(s => s.KnownCost);
    public double Seconds => Stages.Sum(s => s.Seconds);
}
