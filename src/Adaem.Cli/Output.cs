using Spectre.Console;

namespace Adaem.Cli;

internal static class Output
{
    /// <summary>A console that falls back to plain text when output is redirected (CI, pipes, tests).</summary>
    public static IAnsiConsole Console() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = System.Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
    });
}
