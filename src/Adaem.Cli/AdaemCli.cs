using System.CommandLine;
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
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(StoreWriterCommand.Create());
        root.Subcommands.Add(CallBatchCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        using var cts = new CancellationTokenSource();
        var cancelled = 0;
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl-C: stop gracefully (finished calls are already in the store). Second: let it die.
            if (Interlocked.Exchange(ref cancelled, 1) == 0)
            {
                e.Cancel = true;
                cts.Cancel();
            }
        };
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            var parse = Build().Parse(args);
            if (parse.Errors.Count > 0)
            {
                // Bad usage is exit 2 by contract (System.CommandLine's default is 1).
                foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
                Console.Error.WriteLine("Fix: see 'adaem --help' or 'adaem <command> --help'.");
                return ErrorReporter.BadInput;
            }
            return await parse.InvokeAsync(config, cts.Token);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e);
        }
    }
}
