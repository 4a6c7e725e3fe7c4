using Adaem.Core.Configuration;
using Adaem.Core.Planning;
using Adaem.Core.Theory;
using Adaem.Providers.Pricing;
using Adaem.Storage;

namespace Adaem.Providers.Planning;

/// <summary>The prices of the config's pricing file, as the plan asks for them (by provider model id, then local name; batch prices for a
/// model in batch mode).</summary>
internal sealed class PriceListPrices(PriceList prices) : IPlanPrices
{
    public PlanPrice? For(ModelConfig model)
    {
        if (model.Provider is ProviderKinds.Simulated or ProviderKinds.Local)
            return PlanPrice.Free;
        if (prices.Find(ProviderFactory.ModelId(model), model.Name) is not { } p)
            return null;
        // A model in batch mode pays the batch price for every call (the listed batch price, else half).
        return model.Batch is null
            ? new PlanPrice(p.InputPerMillion, p.OutputPerMillion)
            : new PlanPrice(
                p.BatchInputPerMillion ?? p.InputPerMillion * ModelPrice.DefaultBatchShare,
                p.BatchOutputPerMillion ?? p.OutputPerMillion * ModelPrice.DefaultBatchShare
            );
    }
}

/// <summary>A <see cref="StudyPlanner"/> with the real tokenizers, the config's prices and the engine's default limits.</summary>
public static class PlanWiring
{
    /// <param name="history">What the store has measured (<see cref="NoPlanHistory"/> for a store not made yet).</param>
    /// <param name="assumedLatencySeconds">--latency: one call's latency for models the ledger has not measured.</param>
    public static StudyPlanner Planner(AdaemConfig config, IPlanHistory history, double assumedLatencySeconds, EngineOptions? engine = null)
    {
        var options = engine ?? new EngineOptions();
        return new StudyPlanner(
            config,
            TheoryLoader.Load(config.Theory, config.Directory),
            new TokenCounters(),
            new PriceListPrices(PriceList.ForConfig(config)),
            history,
            new PlanSettings { AssumedLatencySeconds = assumedLatencySeconds, Concurrency = options.ConcurrencyFor }
        );
    }

    /// <summary>
    /// The plan of <paramref name="request"/>'s run, from what <paramref name="store"/> has measured (null: nothing yet).
    /// With <paramref name="save"/>, it is stored with the run for `adaem runs` to set beside the ledger.
    /// </summary>
    public static async Task<StudyPlan> MakeAsync(
        AdaemConfig config,
        AdaemStore? store,
        PlanRequest request,
        double assumedLatencySeconds,
        bool save,
        CancellationToken cancellationToken
    )
    {
        var plan = await Planner(config, (IPlanHistory?)store ?? NoPlanHistory.Instance, assumedLatencySeconds)
            .PlanAsync(request, store, cancellationToken)
            .ConfigureAwait(false);
        if (save && store is not null)
        {
            store.SavePlan(
                request.Run,
                plan.Stages.SelectMany(s => s.Calls)
                    .Select(c => new PlanRow
                    {
                        Run = request.Run,
                        Stage = c.Stage,
                        Model = c.Model,
                        Role = c.Role,
                        Calls = c.Calls,
                        InputTokens = c.InputTokens,
                        OutputTokens = c.OutputTokens,
                        Cost = c.Cost,
                    })
                    .ToList()
            );
        }
        return plan;
    }
}
