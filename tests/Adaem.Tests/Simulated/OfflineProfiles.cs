using Adaem.Core.Analysis;
using Adaem.Core.Configuration;
using Adaem.Core.Theory;

namespace Adaem.Tests.Simulated;

/// <summary>
/// The ground truth of examples/offline.yaml: the evaluated targets and their latent value profiles,
/// read through the real ConfigLoader so a recovery test checks against exactly what a run uses.
/// </summary>
public sealed class OfflineProfiles
{
    private OfflineProfiles(AdaemConfig config, ValueTheory theory)
    {
        Config = config;
        Theory = theory;
        Targets = config.Evaluation.Targets;
    }

    public AdaemConfig Config { get; }
    public ValueTheory Theory { get; }

    /// <summary>The evaluated targets, in config order.</summary>
    public IReadOnlyList<string> Targets { get; }

    public static OfflineProfiles Load() => Load(Path.Combine(RepositoryRoot(), "examples", "offline.yaml"));

    public static OfflineProfiles Load(string path)
    {
        var config = ConfigLoader.Load(path);
        return new OfflineProfiles(config, TheoryLoader.Load(config.Theory, config.Directory));
    }

    public ModelConfig Model(string name) => Config.Models[name];

    /// <summary>The latent priority of a model for a value; a value the profile leaves out is the simulation's default.</summary>
    public double Priority(string model, string value) =>
        Config.Models[model].Profile is { } p && p.TryGetValue(value, out var v) ? v : Adaem.Providers.Simulated.ValueProfile.Unnamed;

    /// <summary>The latent priorities of every target for one value, in <see cref="Targets"/> order.</summary>
    public double[] PrioritiesOf(string value) => Targets.Select(t => Priority(t, value)).ToArray();

    /// <summary>
    /// Mean over the theory's values of the Spearman correlation, across targets, between the latent
    /// priorities and <paramref name="measured"/>(target, value): the recovery measure of issue 6.
    /// </summary>
    public double MeanSpearman(Func<string, string, double> measured) =>
        Theory.Values.Average(v => Correlation.Spearman(PrioritiesOf(v.Code), Targets.Select(t => measured(t, v.Code)).ToArray()));

    /// <summary>The directory holding Adaem.slnx, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Adaem.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no Adaem.slnx above {AppContext.BaseDirectory}");
    }
}
