using System.CommandLine;

namespace Adaem.Cli.Commands;

internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("run", "generate, then evaluate, then report") { config, run, outDir, quiet };
        cmd.SetAction((_, _) => Task.FromResult(NotYet.Say("adaem run", 6)));
        return cmd;
    }
}
