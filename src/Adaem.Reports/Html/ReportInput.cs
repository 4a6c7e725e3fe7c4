using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.RunFiles;

namespace Adaem.Reports.Html;

/// <summary>A model of the config as the report shows it.</summary>
public sealed record ModelInfo(string Name, string Provider, string? Model, IReadOnlyList<string> Roles)
{
    public bool Simulated => Provider == "simulated";
}

/// <summary>Calls, tokens and cost of one stage and model, from the store's ledger. Cost is null when any call is unpriced.</summary>
public sealed record CallRow(
    string Stage,
    string Model,
    long Calls,
    long Failures,
    long InputTokens,
    long OutputTokens,
    double? Cost,
    long UnpricedCalls
);

/// <summary>Answers that could not be parsed or judged, per model and purpose.</summary>
public sealed record FailureRow(string Model, string Purpose, long ParseFailures, long JudgeFailures);

/// <summary>A model (or the theory) in a role of the run, with its resolved identity; SupersededAt is set when a later change was
/// accepted.</summary>
public sealed record InstrumentRow(string Role, string Name, string Identity, string Since, string? SupersededAt);

/// <summary>Where a run's numbers come from. Unknown facts stay null and are printed as unknown.</summary>
public sealed record Provenance
{
    public string? ConfigPath { get; init; }
    public string? ConfigHash { get; init; }

    /// <summary>The config hash the store recorded when the run started; differs from ConfigHash if the file changed since.</summary>
    public string? RunConfigHash { get; init; }
    public string? RunCreatedAt { get; init; }
    public string? RunUpdatedAt { get; init; }
    public string? RunStage { get; init; }
    public string? RunStatus { get; init; }
    public string? StorePath { get; init; }
    public IReadOnlyList<ModelInfo> Models { get; init; } = [];
    public string? Judge { get; init; }
    public string? JudgeMode { get; init; }
    public long? GenerationSeed { get; init; }
    public long? EvaluationSeed { get; init; }
    public int? SeedTopics { get; init; }
    public IReadOnlyList<CallRow>? Calls { get; init; }
    public IReadOnlyList<FailureRow>? Failures { get; init; }

    /// <summary>Every instrument identity that contributed to the run, from the store (null when the store was not available).</summary>
    public IReadOnlyList<InstrumentRow>? Instruments { get; init; }

    /// <summary>Candidates the generation loop dropped, per reason code (e.g. near_duplicate, in_earlier_benchmark); null when
    /// unknown.</summary>
    public IReadOnlyDictionary<string, int>? DropReasons { get; init; }
    public string? AdaemVersion { get; init; }

    /// <summary>The frozen release the scores were measured on (from scores.json), or null.</summary>
    public RunFiles.BundleInfo? Bundle { get; init; }
}

/// <summary>Everything the report is built from: the run's files plus provenance from the config and store.</summary>
public sealed record ReportInput(string Run, ValueTheory Theory, IReadOnlyList<ValueScore> Scores, Provenance Provenance)
{
    public IReadOnlyList<QuestionRecord>? Questions { get; init; }

    /// <summary>The run's responses.jsonl, or null. Read answer by answer (<see cref="Sections.ResponseSummary"/>), never held
    /// whole.</summary>
    public string? ResponsesPath { get; init; }
    public ValidityReport? Validity { get; init; }

    /// <summary>Monte-Carlo permutations per model pair in the distance test.</summary>
    public int Permutations { get; init; } = 999;
    public long Seed { get; init; } = 1;
    public int SeparatingPerValue { get; init; } = 3;

    /// <summary>A cross-lingual evaluation's shifts (shifts.csv), or null.</summary>
    public IReadOnlyList<LanguageShift>? Shifts { get; init; }

    /// <summary>
    /// For a cross-lingual evaluation, the report's players ("model@language", as the main sections show them) and the
    /// model each belongs to; null for a run in one language.
    /// </summary>
    public IReadOnlyDictionary<string, string>? PlayerModels { get; init; }
}
