using System.CommandLine;
using System.Globalization;
using Adaem.Cli.Progress;
using Adaem.Core.Configuration;
using Adaem.Storage;
using Spectre.Console;

namespace Adaem.Cli.Commands;

/// <summary>`adaem runs`: every run in the store with its stage, calls, tokens and cost; a stored plan beside its ledger; calls per server
/// of replicated models.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var cmd = new Command("runs", "Runs in the store: stage, calls, tokens, cost") { config };
        cmd.SetAction(parse =>
        {
            var cfg = ConfigLoader.Load(parse.GetValue(config)!);
            var store = AdaemStore.Open(cfg.StorePath);
            var runs = store.ListRuns();
            var calls = store.SummarizeCalls();
            var console = Output.Console();
            console.WriteLine($"store: {store.Path}");
            if (runs.Count == 0 && calls.Count == 0)
            {
                console.WriteLine("no runs yet: start one with 'adaem run -c " + parse.GetValue(config) + "'");
                return ErrorReporter.Ok;
            }
            var table = new Table().AddColumns(
                "run",
                "stage",
                "status",
                "updated",
                "calls",
                "failed",
                "tokens in",
                "tokens out",
                "cost (USD)"
            );
            // A run marked running is only running while a live process holds its lease.
            var leases = store.ListLeases().ToDictionary(l => l.Run, StringComparer.Ordinal);
            var now = DateTimeOffset.UtcNow;
            var notes = new List<string>();
            foreach (var r in runs)
            {
                var mine = calls.Where(c => c.Run == r.Name).ToList();
                var state = RunState.Of(r, leases.GetValueOrDefault(r.Name), RunLeases.Timing, now);
                if (state.Note is not null)
                    notes.Add(state.Note);
                table.AddRow(
                    Markup.Escape(r.Name),
                    Markup.Escape(r.Stage),
                    Markup.Escape(state.Status),
                    r.UpdatedAt,
                    N(mine.Sum(c => c.Calls)),
                    N(mine.Sum(c => c.Failures)),
                    N(mine.Sum(c => c.InputTokens)),
                    N(mine.Sum(c => c.OutputTokens)),
                    Cost(mine)
                );
            }
            console.Write(table);
            foreach (var note in notes)
                System.Console.WriteLine(note);
            if (calls.Count > 0)
            {
                var detail = new Table().AddColumns("run", "stage", "model", "calls", "failed", "tokens in", "tokens out", "cost (USD)");
                foreach (var c in calls)
                    detail.AddRow(
                        Markup.Escape(c.Run),
                        Markup.Escape(c.Stage),
                        Markup.Escape(c.Model),
                        N(c.Calls),
                        N(c.Failures),
                        N(c.InputTokens),
                        N(c.OutputTokens),
                        Cost([c])
                    );
                console.Write(detail);
            }
            var plans = store.LoadPlans();
            if (plans.Count > 0)
                console.Write(PlanAgainstActual(plans, calls));
            var endpoints = store.SummarizeEndpoints();
            if (endpoints.Count > 0)
            {
                // Models whose base_url lists replicas: where their calls went.
                var servers = new Table().AddColumns("run", "model", "endpoint", "calls", "failed", "mean latency (ms)");
                foreach (var e in endpoints)
                    servers.AddRow(
                        Markup.Escape(e.Run),
                        Markup.Escape(e.Model),
                        Markup.Escape(e.Endpoint),
                        N(e.Calls),
                        N(e.Failures),
                        e.MeanLatencyMs.ToString("N0", CultureInfo.InvariantCulture)
                    );
                console.Write(servers);
            }
            WriteBatches(console, store, calls, now);
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    /// <summary>The provider batches still in flight (models with batch: true), and how many answers came from batches.</summary>
    private static void WriteBatches(IAnsiConsole console, AdaemStore store, IReadOnlyList<CallSummary> calls, DateTimeOffset now)
    {
        var batched = calls.Sum(c => c.Batched);
        if (batched > 0)
            System.Console.WriteLine($"{N(batched)} of the answers came from provider batches (at the batch price)");
        var inFlight = store.ListBatches(inFlightOnly: true);
        if (inFlight.Count == 0)
            return;
        var table = new Table().AddColumns("batch in flight", "model", "provider", "state", "requests", "succeeded", "failed", "age");
        foreach (var b in inFlight)
        {
            table.AddRow(
                Markup.Escape(b.Id),
                Markup.Escape(b.Model),
                Markup.Escape(b.Provider),
                Markup.Escape(b.State),
                N(b.Requests),
                N(b.Succeeded),
                N(b.Failed),
                StoreTime.Ago(now - StoreTime.Parse(b.CreatedAt))
            );
        }
        console.Write(table);
        System.Console.WriteLine("a command that needs their answers waits for them (see docs/batch.md)");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Per run with a stored plan (`adaem plan --run R`), stage and model: planned calls, tokens and cost beside the
    /// run's ledger (answers it made; calls answered from the cache of another run are not in it), and actual / plan.
    /// </summary>
    private static Table PlanAgainstActual(IReadOnlyList<PlanRow> plans, IReadOnlyList<CallSummary> calls)
    {
        var table = new Table().AddColumns(
            "run",
            "stage",
            "model",
            "calls plan",
            "calls",
            "actual/plan",
            "tokens plan",
            "tokens",
            "actual/plan",
            "cost plan",
            "cost"
        );
        table.Title = new TableTitle("plan against actual");
        foreach (
            var g in plans
                .GroupBy(p => (p.Run, p.Stage, p.Model))
                .OrderBy(g => g.Key.Run, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Stage, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Model, StringComparer.Ordinal)
        )
        {
            var actual = calls.Where(c => c.Run == g.Key.Run && c.Stage == g.Key.Stage && c.Model == g.Key.Model).ToList();
            var plannedCalls = g.Sum(p => p.Calls);
            var plannedTokens = g.Sum(p => p.InputTokens + p.OutputTokens);
            var actualCalls = actual.Sum(c => c.Calls);
            var actualTokens = actual.Sum(c => c.InputTokens + c.OutputTokens);
            var plannedCost = g.Any(p => p.Cost is null)
                ? "unknown"
                : g.Sum(p => p.Cost!.Value).ToString("0.0000", CultureInfo.InvariantCulture);
            table.AddRow(
                Markup.Escape(g.Key.Run),
                Markup.Escape(g.Key.Stage),
                Markup.Escape(g.Key.Model),
                N((long)Math.Round(plannedCalls)),
                N(actualCalls),
                Ratio(actualCalls, plannedCalls),
                N((long)Math.Round(plannedTokens)),
                N(actualTokens),
                Ratio(actualTokens, plannedTokens),
                plannedCost,
                actual.Count == 0 ? "-" : Cost(actual)
            );
        }
        return table;
    }

    private static string Ratio(double actual, double planned) =>
        planned <= 0 ? "-" : (actual / planned).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Unknown prices stay unknown: a sum with any unpriced call is shown as such, never as 0.</summary>
    internal static string Cost(IReadOnlyCollection<CallSummary> rows) =>
        CostText.Format(
            rows.Where(r => r.Cost is not null).Sum(r => r.Cost!.Value),
            rows.Sum(r => r.UnpricedCalls),
            rows.Sum(r => r.Calls)
        );
}
