using System.CommandLine;

namespace Adaem.Cli.Commands;

internal static class EvaluateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("evaluate", "Score the target models on each value of the theory") { config, run, outDir, quiet };
        cmd.SetAction((_, _) => Task.FromResult(NotYet.Say("adaem evaluate", 4)));
        return cmd;
    }
}
