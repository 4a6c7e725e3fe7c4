using System.CommandLine;
using System.Runtime.InteropServices;
using Adaem.Cli.Commands;

namespace Adaem.Cli;

/// <summary>Builds the `adaem` command tree. Each command lives in its own file under Commands/.</summary>
public static class AdaemCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("adaem: adaptive, self-extending measurement of how LLMs differ in their values (AdAEM).");
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(EncoderCommand.Create());
        root.Subcommands.Add(StoreWriterCommand.Create());
        root.Subcommands.Add(CallBatchCommand.Create());
        return root;
    }

    /// <summary>
    /// How every command is invoked: exceptions reach <see cref="ErrorReporter"/> (exit codes by contract), and
    /// signals are ours alone. System.CommandLine would otherwise kill the process 2 s after Ctrl-C, before a
    /// stage has said how to resume.
    /// </summary>
    public static InvocationConfiguration Invocation() => new() { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };

    public static async Task<int> RunAsync(string[] args)
    {
        StartupWarmup.StartFor(args);
        using var cts = new CancellationTokenSource();
        // A fetch of the local sentence encoder (provider local, first use) stops on Ctrl-C like a stage.
        Providers.Local.Fetch.EncoderFetchOptions.DefaultCancellation = cts.Token;
        var stopping = 0;
        void Stop(PosixSignalContext signal)
        {
            // First Ctrl-C (or SIGTERM): stop gracefully; finished calls are already in the store. Second: let it die.
            if (Interlocked.Exchange(ref stopping, 1) != 0)
                return;
            signal.Cancel = true;
            cts.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var config = Invocation();
        ParseResult? parse = null;
        try
        {
            parse = Build().Parse(args);
            if (parse.Errors.Count > 0)
            {
                // Bad usage is exit 2 by contract (System.CommandLine's default is 1).
                foreach (var error in parse.Errors)
                    Console.Error.WriteLine($"error: {UsageErrors.Describe(error)}");
                Console.Error.WriteLine("Fix: see 'adaem --help' or 'adaem <command> --help'.");
                return ErrorReporter.BadInput;
            }
            return await parse.InvokeAsync(config, cts.Token);
        }
        catch (Exception e)
        {
            var configPath = ConfigPathOf(parse);
            return ErrorReporter.Report(e, StorePathOf(parse, configPath), configPath);
        }
    }

    private static string? ConfigPathOf(ParseResult? parse)
    {
        try
        {
            return parse?.CommandResult.Command.Options.Any(o => o.Name == "--config") == true ? parse.GetValue<string>("--config") : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The store a failed command was using, so a SQLite error that surfaces mid-run names it: the config's
    /// 'store:' (or --store of the diagnostic commands). Null when it cannot be known; the message then says "the store".
    /// </summary>
    private static string? StorePathOf(ParseResult? parse, string? configPath)
    {
        try
        {
            if (
                parse?.CommandResult.Command.Options.Any(o => o.Name == "--store") == true
                && parse.GetValue<string>("--store") is { } store
            )
                return Path.GetFullPath(store);
            return configPath is null ? null : Core.Configuration.ConfigLoader.Load(configPath).StorePath;
        }
        catch (Exception e)
            when (e is Core.Errors.InputException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
