using Adaem.Core.Evaluation;
using Adaem.Core.Runs;
using Adaem.Core.Translation;

namespace Adaem.Pipeline;

/// <summary>
/// The translations of one question that belong to the run's current scores: made from the text the scores were
/// computed on (the source fingerprint) by the translator the run now records. The store keeps every translation ever
/// made (a question reworded, or another translator, adds records beside the old ones); a trace lists only these.
/// </summary>
internal static class ScoredTranslations
{
    /// <param name="records">The question's translations in the store.</param>
    /// <param name="scoredText">The question's text in the run's scoring.</param>
    /// <param name="translator">The run's current translator instrument identity ("IDENTITY;prompt=…"), or null when none is
    /// recorded (then the translator is not checked).</param>
    public static IReadOnlyList<TranslationRecord> Select(IReadOnlyList<TranslationRecord> records, string scoredText, string? translator)
    {
        var fingerprint = ItemIdentity.Of(scoredText);
        return records
            .Where(r => r.SourceFingerprint == fingerprint)
            .Where(r => translator is null || translator.StartsWith(r.Translator + ";prompt=", StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>The identity of the run's current translator instrument, or null.</summary>
    public static string? Translator(IRunInstruments store, string run) =>
        store.LoadInstruments(run).LastOrDefault(i => i.Role == Instrument.Translator && i.Current)?.Identity;
}
