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

    public static ModelPool Create(AdaemConfig config, ValueTheory theory, AdaemStore store) =>
        new(config, store, theory, PriceList.ForConfig(config));
}
