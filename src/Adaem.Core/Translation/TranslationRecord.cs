namespace Adaem.Core.Translation;

/// <summary>
/// A question as a translator model translated it: what it translates (the source question's id and a
/// fingerprint of its text, the source language), into which language, by which translator (its local name
/// and resolved identity) with which prompt version, and the translation, or the reason there is none.
/// <see cref="Item"/> fingerprints all of them, so a stored translation is served only to the same request:
/// a changed question text, translator or prompt is translated again.
/// </summary>
public sealed record TranslationRecord
{
    public string Run { get; init; } = "";

    /// <summary>The fingerprint of exactly what was asked (<see cref="QuestionTranslator.ItemOf"/>).</summary>
    public string Item { get; init; } = "";

    /// <summary>The id of the question translated: a question's id, or "seed:ID" for a seed question.</summary>
    public string SourceId { get; init; } = "";

    /// <summary>SHA-256 of the source text (<see cref="Evaluation.ItemIdentity.Of"/>).</summary>
    public string SourceFingerprint { get; init; } = "";
    public string SourceLanguage { get; init; } = "";

    /// <summary>The language translated into (a BCP-47 tag).</summary>
    public string Language { get; init; } = "";

    /// <summary>The translator's local name in the config.</summary>
    public string TranslatorModel { get; init; } = "";

    /// <summary>The translator's resolved identity (provider, endpoint without credentials, model id, sampling).</summary>
    public string Translator { get; init; } = "";

    /// <summary>The translate prompt's version, tagged with the target language's templates (see <see
    /// cref="Prompts.TranslatePrompt.VersionFor"/>).</summary>
    public string PromptVersion { get; init; } = "";

    /// <summary>The translated question; null when the reply could not be used.</summary>
    public string? Text { get; init; }

    /// <summary>Why there is no translation (after the re-asks); null when there is one.</summary>
    public string? Error { get; init; }
    public string? CallKey { get; init; }

    public bool Ok => Text is not null && Error is null;
}

/// <summary>Where translations are kept (the store's translations table); a save replaces the record with the same run and item.</summary>
public interface ITranslationRecords
{
    /// <summary>The run's translations, or those of one source question.</summary>
    IReadOnlyList<TranslationRecord> LoadTranslations(string run, string? sourceId = null);

    void SaveTranslation(TranslationRecord record);
}
