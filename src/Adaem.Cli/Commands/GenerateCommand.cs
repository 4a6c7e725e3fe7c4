using System.CommandLine;

namespace Adaem.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        var outDir = CommonOptions.Out();
        var quiet = CommonOptions.Quiet();
        var cmd = new Command("generate", "AdAEM question generation: bandit over seed topics, explore, dedup, score, refine") { config, run, outDir, quiet };
        cmd.SetAction((_, _) => Task.FromResult(NotYet.Say("adaem generate", 5)));
        return cmd;
    }
}
