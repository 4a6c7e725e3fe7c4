using System.CommandLine;

namespace Adaem.Cli.Commands;

/// <summary>`adaem export`: writes a run's stored responses or scores as JSONL or CSV, without calling any model.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var what = new Option<string>("--what") { Description = "What to export", Required = true };
        what.AcceptOnlyFromAmong("questions", "responses", "scores", "benchmark", "trace");
        var format = new Option<string?>("--format")
        {
            Description = "File format (default: jsonl for responses, csv for scores, json for trace)",
        };
        format.AcceptOnlyFromAmong("jsonl", "csv", "json", "text");
        var question = new Option<string?>("--question") { Description = "The question id to trace (with --what trace)" };
        var cmd = new Command(
            "export",
            "Export a run's questions, responses or scores, a frozen release (benchmark), or the trace of one question"
        )
        {
            config,
            run,
            what,
            format,
            question,
            outDir,
            quiet,
        };
        cmd.SetAction(parse =>
        {
            using var study = StudyCommand.Open(parse.GetValue(config)!, parse.GetValue(run), parse.GetValue(outDir));
            var request = new ExportRequest(
                parse.GetValue(what)!,
                parse.GetValue(format),
                parse.GetValue(question),
                OwnFolder: parse.GetValue(outDir) is not null
            );
            Console.WriteLine($"wrote {study.Export(request, StudyCommand.Notices)}");
            return ErrorReporter.Ok;
        });
        return cmd;
    }
}
