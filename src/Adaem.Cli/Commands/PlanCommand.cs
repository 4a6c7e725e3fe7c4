using System.CommandLine;
using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Planning;
using Adaem.Providers.Planning;
using Adaem.Reports.Plans;
using Adaem.Storage;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem plan`: before any model call, the calls, tokens, cost and wall time a study will take (Core/Planning).
/// With --run the plan is stored with that run, and `adaem runs` sets it beside the ledger. Parses and prints only.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var run = CommonOptions.Run();
        run.Description = "The run to plan (default 'main'); given explicitly, the plan is stored with the run for 'adaem runs'";
        var questions = new Option<string?>("--questions")
        {
            Description = "Plan the evaluation of this question file (or release folder), as 'adaem evaluate --questions'",
        };
        var latency = new Option<double?>("--latency")
        {
            Description = "Seconds one call takes, for models without calls in the store's ledger (default 2)",
        };
        var budget = new Option<int?>("--budget")
        {
            Description = "Bandit steps B (overrides generation.budget), as 'adaem generate --budget'",
        };
        var format = new Option<string>("--format") { Description = "text (a plain table) or json", DefaultValueFactory = _ => "text" };
        var cmd = new Command("plan", "Expected calls, tokens, cost and wall time per model and stage, before any model call")
        {
            config,
            run,
            questions,
            latency,
            budget,
            format,
        };
        cmd.SetAction(
            async (parse, ct) =>
            {
                var cfg = ConfigLoader.Load(parse.GetValue(config)!);
                var name = Adaem.Pipeline.RunFolders.RunName(parse.GetValue(run));
                var seconds = parse.GetValue(latency) ?? new PlanSettings().AssumedLatencySeconds;
                if (seconds <= 0 || double.IsNaN(seconds) || double.IsInfinity(seconds))
                    throw new InputException(
                        "--latency",
                        null,
                        string.Create(CultureInfo.InvariantCulture, $"the latency must be a positive number of seconds, not {seconds}"),
                        "write e.g. --latency 2.5"
                    );
                if (parse.GetValue(budget) is < 0 or > GenerationConfig.MaxBudget)
                    throw new InputException(
                        "--budget",
                        null,
                        $"--budget must be between 0 and {GenerationConfig.MaxBudget}",
                        "pass the number of bandit steps"
                    );
                var how = parse.GetValue(format);
                if (how is not ("text" or "json"))
                    throw new InputException("--format", null, $"unknown format '{how}'", "use --format text or --format json");
                // A plan reads what the store measured; it creates the store only to keep a plan for an explicit --run.
                var save = parse.GetValue(run) is not null;
                AdaemStore? store = null;
                if (save)
                {
                    Adaem.Pipeline.RunFolders.RequireWritableStoreFolder(cfg);
                    store = AdaemStore.Open(cfg.StorePath);
                }
                else if (File.Exists(cfg.StorePath))
                    store = AdaemStore.Open(cfg.StorePath);
                var request = new PlanRequest(
                    name,
                    Path.Combine(cfg.Directory, "out", name),
                    parse.GetValue(questions),
                    parse.GetValue(budget)
                );
                var plan = await PlanWiring.MakeAsync(cfg, store, request, seconds, save, ct);
                Console.Write(how == "json" ? PlanJson.Write(plan) + "\n" : PlanText.Write(plan, cfg.Path));
                if (save && how == "text")
                    Console.WriteLine($"stored with run '{name}' in {cfg.StorePath}; 'adaem runs' sets it beside the run's ledger");
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }
}
