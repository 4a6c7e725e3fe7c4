using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Tests.Support;

namespace Adaem.Tests.Foundation;

public class ConfigTests
{
    private const string Valid = """
        store: my.db
        models:
          a: { provider: simulated, profile: { power: 0.9 } }
          b: { provider: openai-compatible, base_url: "http://127.0.0.1:8000/v1", model: qwen }
          c: { provider: openai, model: gpt-4o, api_key_env: ADAEM_TEST_KEY_C }
        judge: { model: a, mode: per-value }
        generation:
          explorers: [a]
          scorers: [a, b]
          budget: 7
        evaluation:
          targets: [b, c]
          bootstrap: 50
        """;

    private static InputProblem SingleProblem(string yaml, string contains) => ConfigProblems.Single(yaml, contains);

    [Fact]
    public void A_valid_config_loads_with_paths_resolved_beside_it()
    {
        using var dir = new TempDir();
        var c = ConfigLoader.Load(dir.Write("adaem.yaml", Valid));
        Assert.Equal(Path.Combine(dir.Path, "my.db"), c.StorePath);
        Assert.Equal("schwartz10", c.Theory);
        Assert.Equal(["a", "b", "c"], c.Models.Keys.Order());
        Assert.Equal(0.9, c.Models["a"].Profile!["power"]);
        Assert.Equal("per-value", c.Judge!.Mode);
        Assert.Equal(7, c.Generation.Budget);
        Assert.Equal(3, c.Generation.QuestionsPerStep);
        Assert.Equal(["b", "c"], c.Evaluation.Targets);
        Assert.Equal(50, c.Evaluation.Bootstrap);
        Assert.Equal(64, c.Hash.Length);
    }

    [Fact]
    public void Unknown_key_names_its_line_and_a_near_match()
    {
        var p = SingleProblem(Valid.Replace("  budget: 7", "  budjet: 7"), "unknown key 'generation.budjet'");
        Assert.Equal(10, p.Line);
        Assert.Contains("budget", p.Fix);
    }

    [Fact]
    public void Missing_models_is_an_error()
    {
        var p = SingleProblem("store: x.db\ntheory: schwartz10\n", "'models' is missing");
        Assert.Equal(1, p.Line);
    }

    [Fact]
    public void Judge_that_names_no_model_is_an_error_on_its_line()
    {
        var p = SingleProblem(Valid.Replace("judge: { model: a,", "judge: { model: zz,"), "judge.model 'zz' names no model");
        Assert.Equal(6, p.Line);
    }

    [Fact]
    public void Target_that_names_no_model_is_an_error_on_its_line()
    {
        var p = SingleProblem(Valid.Replace("targets: [b, c]", "targets: [b, nope]"), "names 'nope', which is not a model");
        Assert.Equal(12, p.Line);
    }

    /// <summary>scorers: [a, a] passed the "two or more" check and compared a's answers with themselves.</summary>
    [Theory]
    [InlineData("scorers: [a, b]", "scorers: [a, a]", "generation.scorers lists 'a' twice", 9)]
    [InlineData("explorers: [a]", "explorers: [a, b, b]", "generation.explorers lists 'b' twice", 8)]
    [InlineData("targets: [b, c]", "targets: [c, c]", "evaluation.targets lists 'c' twice", 12)]
    public void A_model_listed_twice_in_a_role_is_an_error_on_its_line(string from, string to, string message, int line)
    {
        var p = SingleProblem(Valid.Replace(from, to), message);
        Assert.Equal(line, p.Line);
        Assert.Contains("list each model once", p.Fix);
    }

    [Fact]
    public void Provider_without_its_required_field_is_an_error()
    {
        var p = SingleProblem(Valid.Replace("base_url: \"http://127.0.0.1:8000/v1\", ", ""), "needs 'base_url:'");
        Assert.Equal(4, p.Line);
    }

    [Fact]
    public void Unknown_provider_is_an_error()
    {
        var p = SingleProblem(Valid.Replace("provider: simulated", "provider: bard"), "unknown provider 'bard'");
        Assert.Equal(3, p.Line);
    }

    [Fact]
    public void Unset_api_key_env_is_an_error_only_when_the_model_is_needed()
    {
        using var dir = new TempDir();
        var c = ConfigLoader.Load(dir.Write("adaem.yaml", Valid));
        ConfigLoader.RequireSecrets(c, ["a", "b"], _ => null); // models without keys: fine
        var e = Assert.Throws<InputException>(() => ConfigLoader.RequireSecrets(c, ["a", "c"], _ => null));
        var p = Assert.Single(e.Problems);
        Assert.Equal(5, p.Line);
        Assert.Contains("ADAEM_TEST_KEY_C", p.Message);
        ConfigLoader.RequireSecrets(c, ["c"], name => name == "ADAEM_TEST_KEY_C" ? "sk-set" : null);
    }

    [Fact]
    public void A_number_that_is_not_a_number_names_its_line()
    {
        var p = SingleProblem(Valid.Replace("bootstrap: 50", "bootstrap: many"), "must be a whole number");
        Assert.Equal(13, p.Line);
    }

    [Theory]
    [InlineData("0", "out of range")]
    [InlineData("65", "out of range")]
    [InlineData("2.5", "must be a whole number")]
    public void Arms_per_round_outside_one_to_sixty_four_names_its_line(string value, string problem)
    {
        var p = SingleProblem(Valid.Replace("  budget: 7", "  budget: 7\n  arms_per_round: " + value), "generation.arms_per_round");
        Assert.Contains(problem, p.Message);
        Assert.Equal(11, p.Line);
    }

    [Fact]
    public void Arms_per_round_defaults_to_the_sequential_algorithm_and_reads_a_number()
    {
        using var dir = new TempDir();
        Assert.Equal(1, ConfigLoader.Load(dir.Write("a.yaml", Valid)).Generation.ArmsPerRound);
        var arms = ConfigLoader.Load(dir.Write("b.yaml", Valid.Replace("  budget: 7", "  budget: 7\n  arms_per_round: 8")));
        Assert.Equal(8, arms.Generation.ArmsPerRound);
    }

    [Fact]
    public void A_profile_value_outside_the_theory_is_an_error()
    {
        var p = SingleProblem(Valid.Replace("profile: { power: 0.9 }", "profile: { power: 0.9, courage: 0.5 }"), "'courage'");
        Assert.Equal(3, p.Line);
    }

    [Fact]
    public void A_yaml_syntax_error_names_the_line()
    {
        var p = SingleProblem("models:\n  a: { provider: simulated\nstore: x\n", "YAML syntax error");
        Assert.NotNull(p.Line);
    }

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        using var dir = new TempDir();
        var path = dir.Write("adaem.yaml", Valid.Replace("judge: { model: a,", "judge: { model: zz,").Replace("budget: 7", "budjet: 7"));
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        Assert.Equal(2, e.Problems.Count);
    }

    [Theory]
    [InlineData("offline.yaml")]
    [InlineData("openai.yaml")]
    [InlineData("ollama.yaml")]
    [InlineData("mixed.yaml")]
    public void Every_example_config_is_valid(string name)
    {
        var c = ConfigLoader.Load(Path.Combine(RepoPaths.Examples, name));
        Assert.NotEmpty(c.Models);
        Assert.NotEmpty(c.Evaluation.Targets);
    }
}
