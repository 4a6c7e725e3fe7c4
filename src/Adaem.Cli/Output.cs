using Spectre.Console;

namespace Adaem.Cli;

internal static class Output
{
    /// <summary>A console that falls back to plain text when output is redirected (CI, pipes, tests).</summary>
    public static IAnsiConsole Console()
    {
        var redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
                Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            }
        );
        // A file or pipe has no width; without this, tables wrap at 80 columns and cut model names.
        if (redirected)
            console.Profile.Width = 240;
        return console;
    }
}
