namespace Adaem.Core.Runs;

/// <summary>
/// One instrument of a run: a model in a role (target, judge, explorer, scorer, ...) or the value theory,
/// with its resolved identity (for a model: provider, endpoint without credentials, model id, sampling).
/// </summary>
public sealed record Instrument(string Role, string Name, string Identity)
{
    public const string Target = "target";
    public const string Judge = "judge";
    public const string Theory = "theory";
    public const string Explorer = "explorer";
    public const string Scorer = "scorer";
    public const string GenerationJudge = "generation_judge";
    public const string Embeddings = "embeddings";
    public const string Translator = "translator";

    /// <summary>
    /// The settings of generation's informativeness score S that are no model (β, the disentanglement sign, the opinions
    /// asked per answer): stored scores made under others are on another scale.
    /// </summary>
    public const string Score = "informativeness_score";
}

/// <summary>An instrument as the store keeps it: when it was first used and, if a change was accepted, when it was superseded.</summary>
public sealed record InstrumentRecord(string Role, string Name, string Identity, string Since, string? SupersededAt)
{
    public bool Current => SupersededAt is null;
}

/// <summary>The same role and name now resolve to another identity.</summary>
public sealed record InstrumentChange(string Role, string Name, string Before, string After)
{
    public override string ToString() => $"{Role} '{Name}' was {Before}, now {After}";
}

/// <summary>Where a run's instruments are kept.</summary>
public interface IRunInstruments
{
    IReadOnlyList<InstrumentRecord> LoadInstruments(string run);

    /// <summary>Records <paramref name="current"/> as the run's instruments: new ones are added, changed ones supersede the old
    /// identity.</summary>
    void SaveInstruments(string run, IReadOnlyList<Instrument> current);
}
