using Adaem.Core.Configuration;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Pricing;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>The one place the CLI gets its models from: the config's models wrapped in the call engine.</summary>
internal static class PoolFactory
{
    public static ModelPool Create(StageContext context) => Create(context.Config, context.Theory, context.Store);

    /// <summary>A pool for <paramref name="config"/>; its scrubber becomes the one the error reporter prints through.</summary>
    public static ModelPool Create(AdaemConfig config, ValueTheory theory, AdaemStore store)
    {
        var pool = new ModelPool(config, store, theory, PriceList.ForConfig(config));
        ErrorReporter.Scrubber = pool.Scrubber;
        return pool;
    }
}
