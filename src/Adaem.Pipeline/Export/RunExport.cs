using Adaem.Core.Analysis;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.RunFiles;

namespace Adaem.Pipeline;

/// <summary>A run's stored questions, responses, scores, or the trace of one question, written as files; no model is called.</summary>
internal static class RunExport
{
    /// <summary>The run's selection (select_top / select_threshold) from the store; questions the safety model
    /// already dropped stay out, and no model is asked.</summary>
    public static string ExportQuestions(StageContext context, string format)
    {
        var g = context.Config.Generation;
        var selected = QuestionSelection
            .SelectAsync(context.Store, context.Run, g.SelectTop, g.SelectThreshold, null, CancellationToken.None)
            .GetAwaiter()
            .GetResult();
        if (selected.Count == 0)
            throw new InputException(
                context.Store.Path,
                null,
                $"run '{context.Run}' has no scored questions",
                "run 'adaem generate' for this run first (or check --run)"
            );
        return format == "csv"
            ? QuestionsWriter.WriteCsv(Path.Combine(context.OutDir, "questions.csv"), selected)
            : QuestionsWriter.Write(context.OutDir, selected);
    }

    public static string ExportResponses(StageContext context, string format)
    {
        if (context.Config.Judge is null)
            throw new InputException(context.Config.Path, null, "no judge is configured", "add 'judge: { model: NAME, mode: batched }'");
        var judge = JudgeSettings.From(context.Config.Judge);
        var judges = context.Store.ScoreJudges(context.Run);
        // A cross-lingual evaluation: each language's answers were judged (and parsed) by that language's judge.
        var responses = judges.Keys.Any(k => k.Length > 0)
            ? judges
                .Where(j => j.Key.Length > 0)
                .SelectMany(j =>
                    OpinionJudging
                        .LoadScored(context.Store, context.Run, Purposes.Evaluate, j.Value, judge.Mode)
                        .Select(r => r with { Language = j.Key })
                )
                .ToList()
            : OpinionJudging.LoadScored(
                context.Store,
                context.Run,
                Purposes.Evaluate,
                context.Store.ScoresJudge(context.Run) ?? judge.Identity,
                judge.Mode
            );
        if (responses.Count == 0)
            throw new InputException(
                context.Store.Path,
                null,
                $"run '{context.Run}' has no responses judged by {judge.Model} ({judge.Mode})",
                "run 'adaem evaluate' for this run first (or check --run and the judge in the config)"
            );
        var path = Path.Combine(context.OutDir, $"responses.{format}");
        if (format == "csv")
            ResponsesFile.WriteCsv(path, responses, context.Theory);
        else
            ResponsesFile.WriteJsonl(path, responses, context.Theory);
        return path;
    }

    public static string ExportScores(StageContext context, string format)
    {
        var scores = context.Store.LoadScores(context.Run);
        if (scores.Count == 0)
            throw new InputException(
                context.Store.Path,
                null,
                $"run '{context.Run}' has no scores",
                "run 'adaem evaluate' for this run first (or check --run)"
            );
        var path = Path.Combine(context.OutDir, $"scores.{format}");
        if (format == "csv")
            ScoresFile.WriteCsv(path, scores);
        else
            ScoresFile.WriteJsonl(path, scores);
        return path;
    }

    /// <summary>Everything that produced one question and its scores (<see cref="QuestionTrace"/>), from the store only.</summary>
    public static string ExportTrace(StageContext context, string? questionId, string format)
    {
        if (string.IsNullOrEmpty(questionId))
            throw new InputException(
                context.Config.Path,
                null,
                "--what trace needs a question id",
                "add '--question ID' (ids are listed by 'adaem export --what questions')"
            );
        if (format is not ("json" or "text"))
            throw new InputException(
                context.Config.Path,
                null,
                $"--format {format} does not apply to a trace",
                "use --format json or --format text"
            );
        var judge = context.Config.Judge is { } j ? JudgeSettings.From(j) : null;
        var identity = context.Store.ScoresJudge(context.Run) ?? judge?.Identity ?? "";
        var trace =
            QuestionTraceBuilder.Build(
                context.Store,
                context.Store,
                context.Store,
                context.Theory,
                context.Run,
                questionId,
                identity,
                judge?.Mode ?? JudgeConfig.Batched,
                context.Config.Evaluation.Targets
            )
            ?? throw new InputException(
                context.Store.Path,
                null,
                $"run '{context.Run}' has no question '{questionId}'",
                $"list the run's questions with 'adaem export -c {Path.GetFileName(context.Config.Path)} --run {context.Run} --what questions' (or check --run)"
            );
        // Only the translations of the text that was scored, by the translator the run records: older ones stay in the store.
        var scoredText = context.Store.LoadScoredQuestions(context.Run).GetValueOrDefault(questionId) ?? trace.Question.Question;
        var translations = ScoredTranslations.Select(
            context.Store.LoadTranslations(context.Run, questionId),
            scoredText,
            ScoredTranslations.Translator(context.Store, context.Run)
        );
        if (translations.Count > 0)
            trace = trace with
            {
                Translations = translations
                    .Select(t => new TracedTranslation(t.Language, t.TranslatorModel, t.Translator, t.PromptVersion, t.Text, t.Error))
                    .ToList(),
            };
        return format == "text" ? TraceFile.WriteText(context.OutDir, trace) : TraceFile.WriteJson(context.OutDir, trace);
    }
}
