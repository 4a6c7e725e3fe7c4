namespace Adaem.Cli.Commands;

/// <summary>Stands in for a stage whose issue has not landed yet; says so honestly with exit code 1.</summary>
internal static class NotYet
{
    public static int Say(string what, int issue)
    {
        Console.Error.WriteLine($"'{what}' is not implemented in this build yet (tracked in issue {issue}).");
        return ErrorReporter.Failed;
    }
}
