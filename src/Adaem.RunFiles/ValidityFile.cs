using System.Text.Json;
using System.Text.Json.Serialization;
using Adaem.Core.Analysis.Validity;

namespace Adaem.RunFiles;

/// <summary>Baseline comparison as saved: the result plus which item file it came from.</summary>
public sealed record BaselineSection(string File, BaselineResult Result);

/// <summary>
/// out/RUN/validity.json: the latest result of each `adaem validate` analysis for the run. Each command
/// replaces only its own section, so the file accumulates what has been checked; the report shows every
/// section that is present.
/// </summary>
public sealed record ValidityReport
{
    public string Run { get; init; } = "";
    public ReliabilityResult? Reliability { get; init; }
    public SubsetResult? Subsets { get; init; }
    public BaselineSection? Baseline { get; init; }
    public IReadOnlyList<PrimingResult>? Priming { get; init; }

    /// <summary>`adaem validate score`: the selection under the other disentanglement sign and another β.</summary>
    public ScoreSensitivityResult? Score { get; init; }

    /// <summary>`adaem validate judge`: the run's judge against another judge mode or model on a sample of its answers.</summary>
    public JudgeAgreementResult? Judge { get; init; }

    /// <summary>Which scoring produced the numbers, so a reader knows they are comparable to scores.json.</summary>
    public string? Scoring { get; init; }
    public IReadOnlyDictionary<string, string> UpdatedAt { get; init; } = new Dictionary<string, string>();

    public bool IsEmpty =>
        Reliability is null
        && Subsets is null
        && Baseline is null
        && (Priming is null || Priming.Count == 0)
        && Score is null
        && Judge is null;
}

public static class ValidityFile
{
    public const string Name = "validity.json";

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new NaNAsNullConverter() },
    };

    public static ValidityReport? Read(string directory)
    {
        var path = Path.Combine(directory, Name);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ValidityReport>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new Core.Errors.InputException(
                path,
                (int?)(e.LineNumber + 1),
                $"not a validity file adaem can read: {e.Message}",
                "delete it and rerun the 'adaem validate' analyses"
            );
        }
    }

    /// <summary>Reads the current file (if any), applies <paramref name="update"/>, stamps the section and writes it back
    /// atomically.</summary>
    public static ValidityReport Update(string directory, string run, string section, Func<ValidityReport, ValidityReport> update)
    {
        var current = Read(directory) ?? new ValidityReport { Run = run };
        var stamps = new Dictionary<string, string>(current.UpdatedAt, StringComparer.Ordinal)
        {
            [section] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        var next = update(current) with { Run = run, UpdatedAt = stamps };
        AtomicFile.WriteText(Path.Combine(directory, Name), JsonSerializer.Serialize(next, Options));
        return next;
    }

    /// <summary>JSON has no NaN: an undefined statistic is written as null and read back as NaN.</summary>
    private sealed class NaNAsNullConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
                writer.WriteNumberValue(value);
            else
                writer.WriteNullValue();
        }
    }
}
