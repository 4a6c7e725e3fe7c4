using Adaem.Core.Errors;
using Adaem.Providers.Engine;
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

    private static SecretScrubber _scrubber = SecretScrubber.None;

    /// <summary>
    /// The scrubber of the study (or model pool) this process opened last (<see cref="StudyCommand.Open"/> sets it): every
    /// message printed here passes through it, so no key or fragment of one reaches the console, whatever
    /// error carried it. Before a study is opened no key has been read, so there is none to remove; adaem's own messages
    /// are not searched for key-shaped text (a fix such as "write it as 'key: value'" must stay readable).
    /// </summary>
    public static SecretScrubber Scrubber
    {
        get => Volatile.Read(ref _scrubber);
        set => Volatile.Write(ref _scrubber, value);
    }

    /// <param name="storePath">The store of the command's config, when known: names the store in SQLite errors that surface
    /// mid-run.</param>
    /// <param name="configPath">The command's config, for the fix ('adaem doctor -c CONFIG').</param>
    public static int Report(Exception e, string? storePath = null, string? configPath = null)
    {
        if (e is not (InputException or OperationCanceledException or RunFailedException) && StoreErrors.Explain(e, storePath) is { } store)
            return Report(store, configPath);
        switch (e)
        {
            case InputException ie:
                foreach (var p in ie.Problems)
                    Write($"error: {p}");
                return BadInput;
            case StoreVersionException sv:
                Write($"error: {sv.Message}");
                return BadInput;
            case RunLeaseHeldException held:
                Write($"error: {held.Message}");
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
                if (Environment.GetEnvironmentVariable("ADAEM_TRACE") == "1")
                    Write(e.StackTrace ?? "");
                else
                    Console.Error.WriteLine("(set ADAEM_TRACE=1 to see where it happened)");
                Console.Error.WriteLine("Every finished model call is saved; fix the cause and run the same command again to resume.");
                return Failed;
        }
    }

    private static void Write(string line) => Console.Error.WriteLine(Scrubber.ScrubKnown(line));

    private static int Report(StoreException e, string? configPath)
    {
        var fix = e.Fix.Replace($"-c {StoreException.ConfigPlaceholder}", $"-c {configPath ?? "adaem.yaml"}", StringComparison.Ordinal);
        Write($"{(e.IsEnvironment ? "error" : "failed")}: {e.What}");
        Write($"  Fix: {fix}");
        if (Environment.GetEnvironmentVariable("ADAEM_TRACE") == "1")
            Write(e.InnerException?.ToString() ?? e.StackTrace ?? "");
        return e.IsEnvironment ? BadInput : Failed;
    }
}
