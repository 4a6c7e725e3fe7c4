using Adaem.Core.Evaluation;
using Adaem.Core.Translation;
using Dapper;

namespace Adaem.Storage;

/// <summary>Translations (questions and seed questions) and the scores and shifts of a cross-lingual evaluation.</summary>
public sealed partial class AdaemStore : ITranslationRecords
{
    public IReadOnlyList<TranslationRecord> LoadTranslations(string run, string? sourceId = null)
    {
        using var c = Connect();
        return c.Query<TranslationRecord>(
                """
                SELECT run, item, source_id AS SourceId, source_fingerprint AS SourceFingerprint, source_language AS SourceLanguage, language,
                       translator_model AS TranslatorModel, translator, prompt_version AS PromptVersion, text, error, call_key AS CallKey
                FROM translations WHERE run = @run AND (@sourceId IS NULL OR source_id = @sourceId) ORDER BY rowid
                """,
                new { run, sourceId }
            )
            .AsList();
    }

    public void SaveTranslation(TranslationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var r = record;
        using var c = Connect();
        c.Execute(
            """
            INSERT OR REPLACE INTO translations(run, item, source_id, source_fingerprint, source_language, language, translator_model, translator,
                                                prompt_version, text, error, call_key, created_at)
            VALUES (@Run, @Item, @SourceId, @SourceFingerprint, @SourceLanguage, @Language, @TranslatorModel, @Translator, @PromptVersion, @Text, @Error, @CallKey, @now)
            """,
            new
            {
                r.Run,
                r.Item,
                r.SourceId,
                r.SourceFingerprint,
                r.SourceLanguage,
                r.Language,
                r.TranslatorModel,
                r.Translator,
                r.PromptVersion,
                r.Text,
                r.Error,
                r.CallKey,
                now = Now(),
            }
        );
    }

    /// <summary>
    /// Replaces the run's scores with those of a cross-lingual evaluation (each with its language and the identity of
    /// that language's judge), the answers (fingerprints) they were computed from, and the per-value shifts.
    /// </summary>
    public void SaveLanguageScores(
        string run,
        IReadOnlyList<ValueScore> scores,
        IReadOnlyDictionary<string, string> judges,
        IReadOnlyCollection<string> items,
        IReadOnlyList<LanguageShift> shifts
    ) => SaveLanguageScores(run, scores, judges, items, shifts, null);

    /// <summary>
    /// <see cref="SaveLanguageScores(string, IReadOnlyList{ValueScore}, IReadOnlyDictionary{string, string}, IReadOnlyCollection{string}, IReadOnlyList{LanguageShift})"/>
    /// and, in the same transaction, the questions the scores were computed on (<see cref="SaveScoredQuestions"/>): both
    /// are replaced together or not at all.
    /// </summary>
    public void SaveLanguageScores(
        string run,
        IReadOnlyList<ValueScore> scores,
        IReadOnlyDictionary<string, string> judges,
        IReadOnlyCollection<string> items,
        IReadOnlyList<LanguageShift> shifts,
        IReadOnlyList<Question>? questions
    )
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(deferred: false);
        c.Execute("DELETE FROM scores WHERE run = @run", new { run }, tx);
        c.Execute("DELETE FROM scored_items WHERE run = @run", new { run }, tx);
        c.Execute("DELETE FROM language_shifts WHERE run = @run", new { run }, tx);
        c.Execute("INSERT OR IGNORE INTO scored_items(run, item) VALUES (@run, @item)", items.Select(item => new { run, item }), tx);
        c.Execute(
            """
            INSERT INTO scores(run, model, language, value, score, ci_low, ci_high, expressed_rate, n, judge)
            VALUES (@run, @Model, @Language, @Value, @Score, @CiLow, @CiHigh, @ExpressedRate, @N, @judge)
            """,
            scores.Select(s => new
            {
                run,
                s.Model,
                Language = s.Language ?? "",
                s.Value,
                s.Score,
                s.CiLow,
                s.CiHigh,
                s.ExpressedRate,
                s.N,
                judge = judges.GetValueOrDefault(s.Language ?? ""),
            }),
            tx
        );
        c.Execute(
            """
            INSERT INTO language_shifts(run, model, value, language_a, language_b, shift, ci_low, ci_high, n)
            VALUES (@run, @Model, @Value, @LanguageA, @LanguageB, @Shift, @CiLow, @CiHigh, @N)
            """,
            shifts.Select(s => new
            {
                run,
                s.Model,
                s.Value,
                s.LanguageA,
                s.LanguageB,
                s.Shift,
                s.CiLow,
                s.CiHigh,
                s.N,
            }),
            tx
        );
        if (questions is not null)
            WriteScoredQuestions(c, tx, run, questions);
        tx.Commit();
    }

    /// <summary>The run's per-value shifts between languages, in the order they were saved; empty for a run in one language.</summary>
    public IReadOnlyList<LanguageShift> LoadLanguageShifts(string run)
    {
        using var c = Connect();
        return c.Query<(
            string Model,
            string Value,
            string LanguageA,
            string LanguageB,
            double Shift,
            double? CiLow,
            double? CiHigh,
            long N
        )>(
                "SELECT model, value, language_a, language_b, shift, ci_low, ci_high, n FROM language_shifts WHERE run = @run ORDER BY rowid",
                new { run }
            )
            .Select(r => new LanguageShift(r.Model, r.Value, r.LanguageA, r.LanguageB, r.Shift, r.CiLow, r.CiHigh, (int)r.N))
            .ToList();
    }

    /// <summary>The judge identity behind the run's scores per language ("" for a run in one language).</summary>
    public IReadOnlyDictionary<string, string> ScoreJudges(string run)
    {
        using var c = Connect();
        return c.Query<(string Language, string? Judge)>("SELECT language, judge FROM scores WHERE run = @run ORDER BY rowid", new { run })
            .Where(r => r.Judge is not null)
            .GroupBy(r => r.Language, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Judge!, StringComparer.Ordinal);
    }
}
