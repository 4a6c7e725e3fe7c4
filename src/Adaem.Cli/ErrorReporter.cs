using Adaem.Core.Errors;
using Adaem.Providers.Engine;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>Maps failures to the exit-code contract: 2 bad input, 1 run failed, 130 interrupted.</summary>
public static class ErrorReporter
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    private static SecretScrubber _scrubber = SecretScrubber.None;

    /// <summary>
    /// The scrubber of the model pool this process built last (<see cref="PoolFactory"/> sets it): every
    /// message printed here passes through it, so no key or fragment of one reaches the console, whatever
    /// error carried it. Before any pool exists no key has been read, and only key-shaped text is removed.
    /// </summary>
    public static SecretScrubber Scrubber
    {
        get => Volatile.Read(ref _scrubber);
        set => Volatile.Write(ref _scrubber, value);
    }

    public static int Report(Exception e)
    {
        switch (e)
        {
            case InputException ie:
                foreach (var p in ie.Problems) Write($"error: {p}");
                return BadInput;
            case StoreVersionException sv:
                Write($"error: {sv.Message}");
                return BadInput;
            case OperationCanceledException:
                Write("interrupted: every finished model call is saved; run the same command again to resume.");
                return Interrupted;
            case RunFailedException rf:
                Write($"failed: {rf.Message}");
                return Failed;
            default:
                Write($"failed: {e.GetType().Name}: {e.Message}");
                // An unexpected error is a bug; ADAEM_TRACE=1 prints where it happened, for the bug report.
                if (Environment.GetEnvironmentVariable("ADAEM_TRACE") == "1") Write(e.StackTrace ?? "");
                else Console.Error.WriteLine("(set ADAEM_TRACE=1 to see where it happened)");
                Console.Error.WriteLine("Every finished model call is saved; fix the cause and run the same command again to resume.");
                return Failed;
        }
    }

    private static void Write(string line) => Console.Error.WriteLine(Scrubber.ScrubKnown(line));
}
