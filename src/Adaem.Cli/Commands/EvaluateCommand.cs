using System.CommandLine;
using System.Globalization;
using Adaem.Cli.Progress;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
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
            Description = "Questions to evaluate on: our questions.jsonl, any JSONL/CSV with a 'question' field, or a release folder from 'adaem export --what benchmark' (its hash is checked) (default: the run's generated questions)",
        };
        var cmd = new Command("evaluate", "Score the target models on each value of the theory") { config, run, questions, outDir, quiet, accept };
        cmd.SetAction(async (parse, ct) =>
        {
            var context = Wiring.Load(parse.GetValue(config)!, parse.GetValue(run), parse.GetValue(outDir)) with
            {
                AcceptChanges = parse.GetValue(accept),
                Warn = w => Console.WriteLine($"warning: {w}"),
            };
            using var lease = RunLeases.Take(context, EvaluateStage.StageName);
            EvaluateStage.Validate(context.Config);
            var set = await EvaluateStage.ResolveQuestionsAsync(context, parse.GetValue(questions), ct).ConfigureAwait(false);
            var items = set.Questions;
            ConfigLoader.RequireSecrets(context.Config, EvaluateStage.ModelsCalled(context.Config));
            using var pool = PoolFactory.Create(context);

            var console = Output.Console();
            var targets = context.Config.Evaluation.Targets;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evaluate run '{context.Run}': {items.Count:N0} questions × {targets.Count} targets, judge {context.Config.Judge!.Model} ({context.Config.Judge.Mode})"));
            console.WriteLine($"questions: {set.Source}");
            foreach (var w in set.Warnings) Console.Error.WriteLine($"warning: {w}");
            EvaluateResult result;
            try
            {
                result = await StageProgressDisplay.RunAsync(EvaluateStage.StageName, parse.GetValue(quiet), async progress =>
                {
                    progress.UseCalls(pool.Counters);
                    progress.WatchStore(context.Store.Path);
                    var answers = EvaluationProgressView.Start(progress, "answers judged", items.Count * targets.Count * context.Config.Evaluation.Samples);
                    try
                    {
                        var done = await EvaluateStage.RunAsync(context, pool, items, answers, ct, set.Bundle).ConfigureAwait(false);
                        progress.Failures.Add(done.Responses);
                        return done;
                    }
                    catch (NothingScoredException e)
                    {
                        foreach (var f in e.Failures) progress.Failures.Add(f.Model, f.Unreadable, f.NotJudged);
                        throw;
                    }
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (StageFailure.Explain(e, EvaluateStage.StageName, context.Config, pool.Scrubber) is { } failure)
            {
                throw failure;
            }

            Render(console, result, context);
            if (CallLine.Of(pool) is { } calls) console.WriteLine(CallLine.Format("evaluate", calls));
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    private static void Render(IAnsiConsole console, EvaluateResult result, StageContext context)
    {
        var theory = context.Theory;
        var table = new Table().AddColumn("model");
        foreach (var v in theory.Values) table.AddColumn(new TableColumn(v.Abbreviation).RightAligned());
        table.AddColumn(new TableColumn("n").RightAligned());
        foreach (var model in result.Scores.Select(s => s.Model).Distinct())
        {
            var row = new List<string> { Markup.Escape(model) };
            var mine = result.Scores.Where(s => s.Model == model).ToDictionary(s => s.Value);
            foreach (var v in theory.Values) row.Add(mine.TryGetValue(v.Code, out var s) ? s.Score.ToString("0.0", CultureInfo.InvariantCulture) : "-");
            row.Add(mine.Values.First().N.ToString(CultureInfo.InvariantCulture));
            table.AddRow(row.ToArray());
        }
        console.Write(table);
        console.WriteLine("Scores are relative win rates (0–100) within this pool of targets on these questions; see scores.csv for confidence intervals.");
        var missing = context.Config.Evaluation.Targets.Where(t => result.Scores.All(s => s.Model != t)).ToList();
        if (missing.Count > 0) console.WriteLine($"warning: no usable answers from {string.Join(", ", missing)}; not scored.");
        if (result.Failed > 0)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Failed:N0} of {result.Responses.Count:N0} answers could not be parsed or judged; they are listed with \"failure\" in responses.jsonl."));
        }
        console.WriteLine($"wrote {result.ResponsesPath}");
        console.WriteLine($"wrote {result.ScoresCsvPath}");
        console.WriteLine($"wrote {result.ScoresJsonPath}");
    }
}
