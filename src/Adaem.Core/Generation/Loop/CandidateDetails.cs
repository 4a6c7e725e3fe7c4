using System.Text.Json;
using System.Text.Json.Serialization;

namespace Adaem.Core.Generation;

/// <summary>What the store keeps about a question beyond its columns (questions.components_json).</summary>
public sealed record CandidateDetails
{
    /// <summary>The context found by exploration step 1 (Listing 5).</summary>
    public string? Information { get; init; }

    /// <summary>The explorer's reflection (Listing 7) that led to this refinement.</summary>
    public string? Suggestions { get; init; }

    /// <summary>Fast score minus the parent's fast score, for refinements.</summary>
    public double? Gain { get; init; }

    /// <summary>Mean similarity to the nearest stored questions at the dedup check, and which they were.</summary>
    public double? DedupSimilarity { get; init; }
    public IReadOnlyList<string>? Nearest { get; init; }

    /// <summary>"safe" or "unsafe" when a safety model checked the question.</summary>
    public string? Safety { get; init; }
    public ScoreComponents? Fast { get; init; }
    public ScoreComponents? Final { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CandidateDetails FromJson(string? json) =>
        string.IsNullOrEmpty(json)
            ? new CandidateDetails()
            : JsonSerializer.Deserialize<CandidateDetails>(json, Json) ?? new CandidateDetails();
}

/// <summary>What a bandit step stores as its state (bandit_steps.state_json).</summary>
internal sealed record StepDetails
{
    /// <summary>UCB index of the chosen arm (null when it had never been played, i.e. +∞).</summary>
    public double? Ucb { get; init; }
    public double? Bonus { get; init; }

    /// <summary>n in ln n: plays of all arms before the step.</summary>
    public long TotalPulls { get; init; }

    /// <summary>Q_i before the step (when its round began).</summary>
    public double MeanBefore { get; init; }

    /// <summary>The step's place (1-based) in a round of several steps, the order its results were merged in; null in a round of
    /// one.</summary>
    public int? RoundPosition { get; init; }

    /// <summary>Earlier picks of the same arm in the round, counted as virtual plays in <see cref="Ucb"/>; null in a round of
    /// one.</summary>
    public int? VirtualPlays { get; init; }
    public IReadOnlyList<string> Explorers { get; init; } = [];
    public IReadOnlyList<string> Candidates { get; init; } = [];
    public IReadOnlyList<string> Kept { get; init; } = [];
    public IReadOnlyList<double> Scores { get; init; } = [];
    public int Dropped { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static StepDetails FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? new StepDetails() : JsonSerializer.Deserialize<StepDetails>(json, Json) ?? new StepDetails();
}
