using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Adaem.Cli.Commands;

/// <summary>`adaem evaluate`: every target answers every question, the judge labels the opinions, and the
/// targets get relative 0–100 scores per value with bootstrap confidence intervals.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var accept = CommonOptions.AcceptChanges();
        var questions = new Option<string?>("--questions")
        {
            Description =
                "Questions to evaluate on: our questions.jsonl, any JSONL/CSV with a 'question' field, or a release folder from 'adaem export --what benchmark' (its hash is checked) (default: the run's generated questions)",
        };
        var cmd = new Command("evaluate", "Score the target models on each value of the theory")
        {
            config,
            run,
            questions,
            outDir,
            quiet,
            accept,
        };
        cmd.SetAction(
            async (parse, ct) =>
            {
                using var study = StudyCommand.Open(
                    parse.GetValue(config)!,
                    parse.GetValue(run),
                    parse.GetValue(outDir),
                    parse.GetValue(accept)
                );
                // One lease from reading the questions (which may write questions.jsonl) to the last file written.
                study.Hold(EvaluateStage.StageName, StudyCommand.Notices);
                await EvaluateAsync(study, parse.GetValue(questions), parse.GetValue(quiet), ct).ConfigureAwait(false);
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    /// <summary>The evaluate stage as both `adaem evaluate` and `adaem run` show it: the questions, the header, the progress, the
    /// scores.</summary>
    internal static async Task EvaluateAsync(Study study, string? questionsFile, bool quiet, CancellationToken ct)
    {
        var set = await study.LoadQuestionsAsync(questionsFile, StudyCommand.Notices, ct).ConfigureAwait(false);
        var console = Output.Console();
        PrintHeader(console, study, set);
        var result = await StudyCommand
            .ShowAsync(EvaluateStage.StageName, quiet, progress => study.EvaluateAsync(set, progress, ct))
            .ConfigureAwait(false);
        Render(console, result, study);
        if (result.Calls is { } calls)
            console.WriteLine(CallLine.Format("evaluate", calls));
    }

    /// <summary>What is about to be evaluated: questions × targets, the judge, where the questions came from, and warnings about
    /// them.</summary>
    private static void PrintHeader(IAnsiConsole console, Study study, QuestionSet set)
    {
        var cfg = study.Config;
        console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"evaluate run '{study.Run}': {set.Questions.Count:N0} questions × {cfg.Evaluation.Targets.Count} targets{Languages(cfg)}, judge {cfg.Judge!.Model} ({cfg.Judge.Mode})"
            )
        );
        console.WriteLine($"questions: {set.Source}");
        foreach (var w in set.Warnings)
            Console.Error.WriteLine($"warning: {w}");
    }

    /// <summary>" × 2 languages (en, zh)" for a cross-lingual evaluation, else nothing.</summary>
    private static string Languages(Core.Configuration.AdaemConfig cfg) =>
        cfg.Evaluation.Languages.Count == 0
            ? ""
            : $" × {cfg.Evaluation.Languages.Count} languages ({string.Join(", ", cfg.Evaluation.Languages.Select(l => Core.Prompts.Languages.PromptLanguages.Resolve(l).Code))})";

    private static void Render(IAnsiConsole console, EvaluateResult result, Study study)
    {
        var theory = study.Theory;
        var table = new Table().AddColumn("model");
        foreach (var v in theory.Values)
            table.AddColumn(new TableColumn(v.Abbreviation).RightAligned());
        table.AddColumn(new TableColumn("n").RightAligned());
        // A cross-lingual evaluation scores each model in each language: one row per model@language.
        foreach (var player in result.Scores.GroupBy(s => (s.Model, s.Language)))
        {
            var row = new List<string> { Markup.Escape(player.Key.Language is { } l ? $"{player.Key.Model}@{l}" : player.Key.Model) };
            var mine = player.ToDictionary(s => s.Value);
            foreach (var v in theory.Values)
                row.Add(mine.TryGetValue(v.Code, out var s) ? s.Score.ToString("0.0", CultureInfo.InvariantCulture) : "-");
            row.Add(mine.Values.First().N.ToString(CultureInfo.InvariantCulture));
            table.AddRow(row.ToArray());
        }
        console.Write(table);
        console.WriteLine(
            "Scores are relative win rates (0–100) within this pool of targets on these questions; see scores.csv for confidence intervals."
        );
        var missing = study.Config.Evaluation.Targets.Where(t => result.Scores.All(s => s.Model != t)).ToList();
        if (missing.Count > 0)
            console.WriteLine($"warning: no usable answers from {string.Join(", ", missing)}; not scored.");
        if (result.Failed > 0)
        {
            console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{result.Failed:N0} of {result.Responses.Count:N0} answers could not be parsed or judged; they are listed with \"failure\" in responses.jsonl."
                )
            );
        }
        console.WriteLine($"wrote {result.ResponsesPath}");
        console.WriteLine($"wrote {result.ScoresCsvPath}");
        console.WriteLine($"wrote {result.ScoresJsonPath}");
        if (result.Shifts is { } shifts)
        {
            console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{shifts.Count(s => s.ExcludesZero):N0} of {shifts.Count:N0} per-value shifts between languages have an interval that excludes 0"
                )
            );
            console.WriteLine($"wrote {result.ShiftsPath}");
        }
    }
}
