using Adaem.Cli;
using Adaem.Cli.Commands;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Theory;
using Adaem.Pipeline;
using Adaem.Providers;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// What a new user starts from works as written: every `adaem init` template (rendered by the real CLI) and
/// every config in examples/ passes all the checks the stages run, with no warning, follows the method's
/// roles (several different generators, scorers ⊇ explorers, targets apart from generation), and no two
/// examples share a store, so running one never serves another's results.
/// </summary>
public sealed class ExampleConfigTests
{
    /// <summary>Every config in examples/ (pricing.yaml is a price list, not a config).</summary>
    private static IReadOnlyList<string> ExampleNames() =>
        Directory
            .GetFiles(RepoPaths.Examples, "*.yaml")
            .Select(f => Path.GetFileName(f))
            .Where(n => n != "pricing.yaml")
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> Examples() => [.. ExampleNames()];

    public static TheoryData<string> Templates() => [.. InitCommand.Templates];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Every_init_template_passes_every_stage_check_with_no_warning(string template)
    {
        using var dir = new TempDir();
        var init = await CliProcess.RunAsync(dir.Path, "init", "proj", "--template", template);
        Assert.True(init.ExitCode == 0, init.All);

        AssertReady(dir.Sub("proj", "adaem.yaml"));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_passes_every_stage_check_with_no_warning(string name)
    {
        using var dir = new TempDir();
        // A copy, so the store the check opens is not created in the checkout.
        foreach (var f in Directory.GetFiles(RepoPaths.Examples))
            File.Copy(f, dir.File(Path.GetFileName(f)));

        AssertReady(dir.File(name));
    }

    [Fact]
    public void No_two_examples_share_a_store()
    {
        var stores = ExampleNames().Select(n => ConfigLoader.Load(Path.Combine(RepoPaths.Examples, n)).StorePath).ToList();
        Assert.True(stores.Count >= 4, "offline, openai, ollama and mixed");
        Assert.Equal(stores.Count, stores.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(stores, s => Path.GetFileName(s) == "adaem.db");
    }

    /// <summary>
    /// The checks `generate` and `evaluate` make before any call, with a dummy value for every api_key_env:
    /// config, theory, pricing, seeds, generation and evaluation checks, secrets, the method's warnings, and
    /// each model's provider client built (no request is sent).
    /// </summary>
    private static void AssertReady(string path)
    {
        var config = ConfigLoader.Load(path);
        var env = config
            .Models.Values.Where(m => m.ApiKeyEnv is not null)
            .Select(m => m.ApiKeyEnv!)
            .Distinct()
            .ToDictionary(v => v, _ => "dummy-key-for-validation");

        GenerationChecks.Validate(config);
        EvaluateStage.Validate(config);
        Assert.Empty(GenerationChecks.Warnings(config));
        ConfigLoader.RequireSecrets(config, config.Models.Keys, n => env.GetValueOrDefault(n));
        var theory = TheoryLoader.Load(config.Theory, config.Directory);
        Assert.NotEmpty(SeedSources.ForConfig(config));
        var store = AdaemStore.Open(config.StorePath);
        using var pool = new ModelPool(
            config,
            store,
            theory,
            PriceList.ForConfig(config),
            new EngineOptions { GetEnvironment = n => env.GetValueOrDefault(n) }
        );
        foreach (var name in config.Models.Keys)
            Assert.Equal(name, pool.Resolve(name).LocalName);

        // The method's roles: several different generators, scorers ⊇ explorers, targets kept apart from generation.
        var g = config.Generation;
        Assert.True(g.Explorers.Count >= 2, "a generator pool of several models");
        Assert.Equal(g.Explorers.Count, g.Explorers.Select(e => config.Models[e].Model ?? e).Distinct().Count());
        Assert.Subset(g.Scorers.ToHashSet(), g.Explorers.ToHashSet());
        var generation = g.Explorers.Concat(g.Scorers).Append(g.Judge ?? config.Judge!.Model).ToHashSet();
        Assert.Empty(config.Evaluation.Targets.Intersect(generation));
        Assert.DoesNotContain(config.Judge!.Model, config.Evaluation.Targets);
    }
}
