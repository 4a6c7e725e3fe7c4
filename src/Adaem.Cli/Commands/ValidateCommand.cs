using System.CommandLine;

namespace Adaem.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var cmd = new Command("validate", "Validity analyses: priming, reliability, subsets, baseline");
        foreach (var (name, desc) in new[]
                 {
                     ("priming", "Prime a target to hold one value; its score on that value must rise"),
                     ("reliability", "Cronbach's alpha over random folds of questions"),
                     ("subsets", "Correlation of scores on question subsets with the full set"),
                     ("baseline", "Distinguishability against a static baseline item file"),
                 })
        {
            var sub = new Command(name, desc) { CommonOptions.Config(), CommonOptions.Run(), CommonOptions.Out() };
            sub.SetAction((_, _) => Task.FromResult(NotYet.Say($"adaem validate {name}", 7)));
            cmd.Subcommands.Add(sub);
        }
        return cmd;
    }
}
