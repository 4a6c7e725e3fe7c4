using System.Globalization;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Translation;
using Adaem.RunFiles;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>
/// The evaluate stage with evaluation.languages: the questions are translated once into each language that is not
/// theirs (the generation language) by evaluation.translator, stored with their source id and read back on a rerun;
/// every target answers every question in each language and that language's judge labels the answers (one phase per
/// language); every (model, language) is then a player of one relative pool per value on the source questions
/// (<see cref="CrossLingualScoring"/>), and each model's per-value shift between two languages comes with a paired
/// bootstrap interval. Writes responses.jsonl and scores.csv/json with a language, shifts.csv and questions.LANG.jsonl.
/// </summary>
internal static class CrossLingualEvaluation
{
    public static async Task<EvaluateResult> RunAsync(
        StageContext context,
        IModelPool pool,
        IReadOnlyList<Question> questions,
        StageEvents events,
        CancellationToken cancellationToken,
        BundleInfo? bundle = null
    )
    {
        var config = context.Config;
        var store = context.Store;
        EvaluateStage.Begin(context, pool);
        var languages = config.Evaluation.Languages.Select(PromptLanguages.Resolve).ToList();
        var source = PromptLanguages.Resolve(config.Generation.Language);
        foreach (var language in languages)
        foreach (var note in TheoryLanguage.Notes(context.Theory, language, "evaluation"))
            context.Warn(note);
        var targets = config.Evaluation.Targets;
        var codes = languages.Select(l => l.Code).ToList();

        var tracked = new StageRun(context, EvaluateStage.StageName) { Pool = pool };
        return await tracked
            .TrackAsync(
                async () =>
                {
                    var translator = config.Evaluation.Translator is { } t
                        ? new QuestionTranslator(pool, t, store, context.Run, EvaluateStage.StageName)
                        : null;
                    var translated = new Dictionary<string, IReadOnlyList<TranslationRecord>>(StringComparer.Ordinal);
                    foreach (var language in languages.Where(l => l.Code != source.Code))
                    {
                        // The config requires a translator as soon as a language is not the questions' own.
                        var progress = events.Answers(
                            $"questions translated into {language.Code}",
                            questions.Count,
                            group: "questions translated"
                        );
                        translated[language.Code] = await translator!
                            .TranslateAllAsync(questions, source, language, progress, cancellationToken)
                            .ConfigureAwait(false);
                    }
                    var matched = Matched(context, questions, translated);

                    var responses = new List<JudgedResponse>();
                    var judges = new Dictionary<string, string>(StringComparer.Ordinal);
                    var asked = new Dictionary<string, IReadOnlyList<Question>>(StringComparer.Ordinal);
                    foreach (var language in languages)
                    {
                        asked[language.Code] = translated.TryGetValue(language.Code, out var records)
                            ? InLanguage(matched, records)
                            : matched;
                        using var writer = new EvaluationRecordWriter(store);
                        var judging = new OpinionJudging(
                            pool,
                            writer,
                            context.Theory,
                            JudgeSettings.From(config.Judge!),
                            OpinionJudgingOptions.From(config.Evaluation) with
                            {
                                Language = language,
                            }
                        );
                        var progress = events.Answers(
                            $"answers judged ({language.Code})",
                            matched.Count * targets.Count * config.Evaluation.Samples,
                            group: "answers judged"
                        );
                        var answers = await judging
                            .EvaluateAsync(context.Run, Purposes.Evaluate, asked[language.Code], targets, progress, cancellationToken)
                            .ConfigureAwait(false);
                        responses.AddRange(answers.Select(r => r with { Language = language.Code }));
                        judges[language.Code] = judging.Judge.Identity;
                    }

                    var scored = CrossLingualScoring.Score(responses, context.Theory, config.Evaluation, targets, codes, cancellationToken);
                    EvaluationOutcome.RequireScored(context, responses, scored.Scores);
                    var poolChange = TargetPoolChange.Between(
                        store.LoadScores(context.Run).Select(s => s.Model),
                        scored.Scores.Select(s => s.Model)
                    );
                    if (poolChange.Changed)
                        context.Warn(poolChange.ToString());
                    // One transaction: a stop between the two would leave new scores beside old question texts.
                    store.SaveLanguageScores(
                        context.Run,
                        scored.Scores,
                        judges,
                        responses.Select(r => r.Item).ToList(),
                        scored.Shifts,
                        matched
                    );

                    Directory.CreateDirectory(context.OutDir);
                    var responsesPath = Path.Combine(context.OutDir, RunOutputs.Responses);
                    var csvPath = Path.Combine(context.OutDir, RunOutputs.ScoresCsv);
                    var jsonPath = Path.Combine(context.OutDir, RunOutputs.ScoresJson);
                    ResponsesFile.WriteJsonl(responsesPath, responses, context.Theory);
                    ScoresFile.WriteCsv(csvPath, scored.Scores);
                    ScoresFile.WriteJson(
                        jsonPath,
                        scored.Scores,
                        new ScoresProvenance
                        {
                            Run = context.Run,
                            Theory = context.Theory.Code,
                            JudgeMode = config.Judge!.Mode,
                            Questions = matched.Count,
                            Orderings = config.Evaluation.Orderings,
                            Bootstrap = config.Evaluation.Bootstrap,
                            Confidence = config.Evaluation.Confidence,
                            Bundle = bundle,
                            Languages = codes,
                            Judges = judges,
                            Translator = translated.Count > 0 ? translator?.Model : null,
                        }
                    );
                    var shiftsPath = ShiftsFile.Write(context.OutDir, scored.Shifts);
                    foreach (var (code, _) in translated)
                    {
                        var byId = asked[code].ToDictionary(q => q.Id, StringComparer.Ordinal);
                        TranslatedQuestionsFile.Write(context.OutDir, code, translator!.Model, matched.Select(q => (q, byId[q.Id])));
                    }
                    // Translations into a language since dropped from the config would describe questions these scores were not asked in.
                    TranslatedQuestionsFile.DeleteExcept(context.OutDir, [.. translated.Select(t => t.Key)]);
                    return new EvaluateResult(matched, responses, scored.Scores, responsesPath, csvPath, jsonPath)
                    {
                        Calls = ModelPools.Calls(pool),
                        Shifts = scored.Shifts,
                        ShiftsPath = shiftsPath,
                    };
                },
                r =>
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{r.Questions.Count} questions in {codes.Count} languages ({string.Join(", ", codes)}), {targets.Count} targets, {r.Responses.Count - r.Failed} answers judged, {r.Failed} failed"
                    )
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The questions translated into every language: a question one language lacks (its translation failed after the
    /// re-asks) is left out of all of them, so every language answers the same source questions. Said once, as a warning.
    /// </summary>
    private static List<Question> Matched(
        StageContext context,
        IReadOnlyList<Question> questions,
        Dictionary<string, IReadOnlyList<TranslationRecord>> translated
    )
    {
        var failed = translated.SelectMany(kv => kv.Value.Where(r => !r.Ok).Select(r => (Language: kv.Key, Record: r))).ToList();
        if (failed.Count == 0)
            return questions.ToList();
        var dropped = failed.Select(f => f.Record.SourceId).ToHashSet(StringComparer.Ordinal);
        var matched = questions.Where(q => !dropped.Contains(q.Id)).ToList();
        var perLanguage = string.Join(
            ", ",
            failed.GroupBy(f => f.Language, StringComparer.Ordinal).Select(g => $"{g.Count()} into {g.Key}")
        );
        var first = failed[0];
        if (matched.Count == 0)
        {
            throw new RunFailedException(
                $"no question could be translated into every evaluation language ({perLanguage}; first: {first.Record.SourceId} into {first.Language}: {first.Record.Error}). "
                    + "Check evaluation.translator (its model id, base_url and max_tokens); failed translations are stored, so after fixing the translator's config rerun with --accept-changes or a new --run"
            );
        }
        context.Warn(
            $"{dropped.Count} of {questions.Count} questions could not be translated ({perLanguage}; first: {first.Record.SourceId} into {first.Language}: {first.Record.Error}); "
                + "they are left out in every language, so all languages answer the same questions"
        );
        return matched;
    }

    /// <summary>The matched questions in one language: the same ids, the translated texts.</summary>
    private static List<Question> InLanguage(IReadOnlyList<Question> matched, IReadOnlyList<TranslationRecord> records)
    {
        var text = records
            .Where(r => r.Ok)
            .GroupBy(r => r.SourceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Text!, StringComparer.Ordinal);
        return matched.Select(q => q with { Text = text[q.Id] }).ToList();
    }
}
