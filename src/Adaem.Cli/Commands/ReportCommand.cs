using System.CommandLine;

namespace Adaem.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("report", "Write the HTML report, charts, CSV and JSON of a run") { config, run, outDir, quiet };
        cmd.SetAction((_, _) => Task.FromResult(NotYet.Say("adaem report", 7)));
        return cmd;
    }
}
