using Adaem.Core.Models;

namespace Adaem.Cli;

/// <summary>
/// The one place the CLI gets its models from. TEMPORARY: model access (the call engine and providers,
/// issue 3) lands in another branch as Adaem.Providers.ModelPool; when it is merged this method builds
/// it from the context's config, theory and store. Until then stages that call models stop here, after
/// every input check has passed.
/// </summary>
internal static class PoolFactory
{
    public static IModelPool Create(StageContext context) =>
        throw new NotImplementedException("model access (providers and the call engine, issue 3) is not in this build yet, so no model can be called");
}
