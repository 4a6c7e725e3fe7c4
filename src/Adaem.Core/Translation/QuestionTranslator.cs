using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Translation;

/// <summary>
/// Translates questions with the configured translator (evaluation.translator), once per question and language:
/// every translation is stored the moment it is read (<see cref="ITranslationRecords"/>), so a rerun reads it back
/// and asks nothing; a question whose text changed, or a different translator or translate prompt, is translated
/// again (the stored record's fingerprint no longer matches), never served stale. A reply that cannot be used
/// after the re-asks is stored as a failure and read back as one, like an unreadable answer.
/// </summary>
public sealed class QuestionTranslator
{
    private readonly IModelPool _pool;
    private readonly ITranslationRecords _records;
    private readonly string _run;
    private readonly string _stage;
    private readonly int _maxReAsks;

    public QuestionTranslator(
        IModelPool pool,
        string model,
        ITranslationRecords records,
        string run,
        string stage,
        int maxReAsks = StructuredReply.DefaultMaxReAsks
    )
    {
        _pool = pool;
        _records = records;
        _run = run;
        _stage = stage;
        _maxReAsks = maxReAsks;
        Model = model;
        Identity = pool.Identity(model);
    }

    /// <summary>The translator's local name.</summary>
    public string Model { get; }

    /// <summary>The translator's resolved identity.</summary>
    public string Identity { get; }

    /// <summary>Items in flight when the translator reports no capacity of its own.</summary>
    public const int DefaultWidth = 16;

    /// <summary>The fingerprint of one translation: the source question (id, text, language), the target language, the translator and the
    /// prompt version.</summary>
    public static string ItemOf(string sourceId, string text, PromptLanguage source, PromptLanguage target, string translator) =>
        ItemIdentity.Of("translation", sourceId, text, source.Code, target.Code, translator, TranslatePrompt.VersionFor(target));

    /// <summary>One question translated (or read back).</summary>
    public async Task<TranslationRecord> TranslateAsync(
        string sourceId,
        string text,
        PromptLanguage source,
        PromptLanguage target,
        CancellationToken cancellationToken
    )
    {
        var item = ItemOf(sourceId, text, source, target, Identity);
        var stored = _records.LoadTranslations(_run, sourceId).FirstOrDefault(r => r.Item == item);
        return stored ?? await AskAsync(item, sourceId, text, source, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every question translated into <paramref name="target"/> (or read back), in the order given; progress counts
    /// translations done, read back and failed.
    /// </summary>
    public async Task<IReadOnlyList<TranslationRecord>> TranslateAllAsync(
        IReadOnlyList<Question> questions,
        PromptLanguage source,
        PromptLanguage target,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        var stored = _records
            .LoadTranslations(_run)
            .GroupBy(r => r.Item, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var results = new TranslationRecord[questions.Count];
        int done = 0,
            reused = 0,
            failed = 0;
        var width = _pool.Chat(Model).GetService<ModelCapacity>()?.Concurrency ?? DefaultWidth;
        await Parallel
            .ForEachAsync(
                Enumerable.Range(0, questions.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, width), CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var q = questions[i];
                    var item = ItemOf(q.Id, q.Text, source, target, Identity);
                    var wasStored = stored.TryGetValue(item, out var record);
                    record ??= await AskAsync(item, q.Id, q.Text, source, target, ct).ConfigureAwait(false);
                    results[i] = record;
                    var d = Interlocked.Increment(ref done);
                    var r = wasStored ? Interlocked.Increment(ref reused) : Volatile.Read(ref reused);
                    var f = record.Ok ? Volatile.Read(ref failed) : Interlocked.Increment(ref failed);
                    progress?.Report(new EvaluationProgress(d, questions.Count, r, f));
                }
            )
            .ConfigureAwait(false);
        return results;
    }

    private async Task<TranslationRecord> AskAsync(
        string item,
        string sourceId,
        string text,
        PromptLanguage source,
        PromptLanguage target,
        CancellationToken ct
    )
    {
        var outcome = await StructuredReply
            .AskAsync(_pool.Chat(Model), TranslatePrompt.Create(text, source, target), new CallSite(_run, _stage, 0), _maxReAsks, ct)
            .ConfigureAwait(false);
        var record = new TranslationRecord
        {
            Run = _run,
            Item = item,
            SourceId = sourceId,
            SourceFingerprint = ItemIdentity.Of(text),
            SourceLanguage = source.Code,
            Language = target.Code,
            TranslatorModel = Model,
            Translator = Identity,
            PromptVersion = TranslatePrompt.VersionFor(target),
            Text = outcome.Ok ? outcome.Value : null,
            Error = outcome.Ok ? null : outcome.Error,
            CallKey = outcome.CallKey,
        };
        _records.SaveTranslation(record);
        return record;
    }
}
