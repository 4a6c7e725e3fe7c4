using System.CommandLine;

namespace Adaem.Cli.Commands;

/// <summary>`adaem generate`: the AdAEM loop, then the selected questions to out/RUN/questions.jsonl.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var accept = CommonOptions.AcceptChanges();
        var budget = new Option<int?>("--budget")
        {
            Description = "Bandit steps B (overrides generation.budget); a larger budget extends a finished run",
        };
        var cmd = new Command("generate", "AdAEM question generation: bandit over seed topics, explore, dedup, score, refine")
        {
            config,
            run,
            budget,
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
                var options = new GenerateOptions(parse.GetValue(budget));
                var result = await StudyCommand
                    .ShowAsync(
                        Core.Generation.GenerationSettings.Stage,
                        parse.GetValue(quiet),
                        progress => study.GenerateAsync(options, progress, ct)
                    )
                    .ConfigureAwait(false);
                StudyCommand.Print(result);
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }
}
