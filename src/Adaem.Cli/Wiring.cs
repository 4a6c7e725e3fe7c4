using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Cli;

/// <summary>What every stage command starts from: the validated config, its theory, the store, the run and its output folder.</summary>
internal sealed record StageContext(AdaemConfig Config, ValueTheory Theory, AdaemStore Store, string Run, string OutDir)
{
    /// <summary>--accept-changes: an instrument that changed since the run started is accepted (and its items re-asked) instead of stopping the stage.</summary>
    public bool AcceptChanges { get; init; }

    /// <summary>Where the stage sends warnings the user must see before the work starts.</summary>
    public Action<string> Warn { get; init; } = _ => { };
}

/// <summary>Loads and wires what a stage needs, so each command stays a thin parse → wire → run → render.</summary>
internal static class Wiring
{
    public const string DefaultRun = "main";

    public static StageContext Load(string configPath, string? run, string? outDir)
    {
        var config = ConfigLoader.Load(configPath);
        var name = RunName(run);
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        var store = AdaemStore.Open(config.StorePath);
        return new StageContext(config, theory, store, name, OutDirectory(config, name, outDir));
    }

    /// <summary>--run as given (trimmed), 'main' when absent; the name becomes a folder under out/, so it must not leave it.</summary>
    public static string RunName(string? run)
    {
        var name = string.IsNullOrWhiteSpace(run) ? DefaultRun : run.Trim();
        if (name.IndexOfAny(['/', '\\', ':']) >= 0 || name is "." or "..")
            throw new InputException("--run", null, $"run name '{name}' cannot be used as a folder name", "use letters, digits, '-', '_' or '.'");
        return name;
    }

    /// <summary>Where a run's files live: --out if given, else out/RUN/ beside the config.</summary>
    public static string OutDirectory(AdaemConfig config, string run, string? outOption) =>
        outOption is { Length: > 0 } o ? Path.GetFullPath(o) : Path.Combine(config.Directory, "out", run);
}
