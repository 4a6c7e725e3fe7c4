using System.CommandLine;

namespace Adaem.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("export", "Export a run's questions, responses or scores") { config, run, outDir, quiet };
        cmd.SetAction((_, _) => Task.FromResult(NotYet.Say("adaem export", 4)));
        return cmd;
    }
}
