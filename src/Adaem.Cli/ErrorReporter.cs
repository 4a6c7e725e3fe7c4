using Adaem.Core.Errors;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>
/// Maps failures to the exit-code contract: 2 bad input or the user's environment (a store that cannot be
/// opened or written, a run another process holds), 1 run failed (also a full disk or a store locked too
/// long: rerun once the cause is gone), 130 interrupted.
/// </summary>
public static class ErrorReporter
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    /// <param name="storePath">The store of the command's config, when known: names the store in SQLite errors that surface mid-run.</param>
    /// <param name="configPath">The command's config, for the fix ('adaem doctor -c CONFIG').</param>
    public static int Report(Exception e, string? storePath = null, string? configPath = null)
    {
        if (e is not (InputException or OperationCanceledException or RunFailedException) && StoreErrors.Explain(e, storePath) is { } store)
            return Report(store, configPath);
        switch (e)
        {
            case InputException ie:
                foreach (var p in ie.Problems) Console.Error.WriteLine($"error: {p}");
                return BadInput;
            case StoreVersionException sv:
                Console.Error.WriteLine($"error: {sv.Message}");
                return BadInput;
            case RunLeaseHeldException held:
                Console.Error.WriteLine($"error: {held.Message}");
                return BadInput;
            case OperationCanceledException:
                Console.Error.WriteLine("interrupted: every finished model call is saved; run the same command again to resume.");
                return Interrupted;
            case RunFailedException rf:
                Console.Error.WriteLine($"failed: {rf.Message}");
                return Failed;
            default:
                Console.Error.WriteLine($"failed: {e.GetType().Name}: {e.Message}");
                // An unexpected error is a bug; ADAEM_TRACE=1 prints where it happened, for the bug report.
                if (Environment.GetEnvironmentVariable("ADAEM_TRACE") == "1") Console.Error.WriteLine(e.StackTrace);
                else Console.Error.WriteLine("(set ADAEM_TRACE=1 to see where it happened)");
                Console.Error.WriteLine("Every finished model call is saved; fix the cause and run the same command again to resume.");
                return Failed;
        }
    }

    private static int Report(StoreException e, string? configPath)
    {
        var fix = e.Fix.Replace($"-c {StoreException.ConfigPlaceholder}", $"-c {configPath ?? "adaem.yaml"}", StringComparison.Ordinal);
        Console.Error.WriteLine($"{(e.IsEnvironment ? "error" : "failed")}: {e.What}");
        Console.Error.WriteLine($"  Fix: {fix}");
        if (Environment.GetEnvironmentVariable("ADAEM_TRACE") == "1") Console.Error.WriteLine(e.InnerException?.ToString() ?? e.StackTrace);
        return e.IsEnvironment ? BadInput : Failed;
    }
}
