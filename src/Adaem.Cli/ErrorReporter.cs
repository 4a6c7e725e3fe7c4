using Adaem.Core.Errors;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>Maps failures to the exit-code contract: 2 bad input, 1 run failed, 130 interrupted.</summary>
public static class ErrorReporter
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    public static int Report(Exception e)
    {
        switch (e)
        {
            case InputException ie:
                foreach (var p in ie.Problems) Console.Error.WriteLine($"error: {p}");
                return BadInput;
            case StoreVersionException sv:
                Console.Error.WriteLine($"error: {sv.Message}");
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
}
