using Adaem.Core.Configuration;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>What every stage starts from: the validated config, its theory, the store, the run and its output folder.</summary>
internal sealed record StageContext(AdaemConfig Config, ValueTheory Theory, AdaemStore Store, string Run, string OutDir)
{
    /// <summary>--accept-changes: an instrument that changed since the run started is accepted (and its items re-asked) instead of stopping
    /// the stage.</summary>
    public bool AcceptChanges { get; init; }

    /// <summary>Where the stage sends warnings the user must see before the work starts.</summary>
    public Action<string> Warn { get; init; } = _ => { };

    /// <summary>Loads the config and its theory, checks the run name and output folder, and opens the store.</summary>
    public static StageContext Load(string configPath, string? run, string? outDir)
    {
        var config = ConfigLoader.Load(configPath);
        var name = RunFolders.RunName(run);
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var dir = RunFolders.OutDirectory(config, name, outDir);
        var store = RunFolders.OpenStore(config, dir);
        return new StageContext(config, theory, store, name, dir);
    }
}
