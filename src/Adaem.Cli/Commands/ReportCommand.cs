using System.CommandLine;

namespace Adaem.Cli.Commands;

/// <summary>`adaem report`: the HTML report of a run, built from the files in its output directory plus provenance from the
/// store.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run(required: true);
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var permutations = new Option<int>("--permutations")
        {
            Description = "Sign flips per model pair in the distance significance test",
            DefaultValueFactory = _ => 999,
        };
        var cmd = new Command("report", "Write the HTML report (report.html, radar.png, radar.svg) of a run")
        {
            config,
            run,
            outDir,
            quiet,
            permutations,
        };
        cmd.SetAction(
            async (parse, ct) =>
            {
                using var study = StudyCommand.Open(parse.GetValue(config)!, parse.GetValue(run), parse.GetValue(outDir));
                Print(await study.ReportAsync(new ReportOptions(parse.GetValue(permutations)), ct).ConfigureAwait(false));
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    public static void Print(Reports.Html.ReportOutput output)
    {
        Console.WriteLine($"wrote {output.Html}");
        Console.WriteLine($"wrote {output.RadarPng} and {Path.GetFileName(output.RadarSvg)}");
    }
}
