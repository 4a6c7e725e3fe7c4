using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Generation;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Generation;

public class SeedExpansionConfigTests
{
    private const string Yaml = """
        models:
          a: { provider: simulated }
          b: { provider: simulated }
          c: { provider: simulated }
        judge: { model: c }
        generation:
          explorers: [a, b]
          scorers: [a, b]
        EXTRA
        """;

    private static AdaemConfig Load(string extra)
    {
        using var dir = new TempDir();
        return ConfigLoader.Load(dir.Write("adaem.yaml", Yaml.Replace("EXTRA", extra, StringComparison.Ordinal)));
    }

    private static InputProblem Problem(string extra)
    {
        var e = Assert.Throws<InputException>(() => Load(extra));
        return Assert.Single(e.Problems);
    }

    [Fact]
    public void Expansion_is_off_by_default_and_the_expander_is_the_first_explorer()
    {
        var c = Load("");
        Assert.Equal(0, c.Generation.ExpandSeeds);
        Assert.Null(c.Generation.Expander);
        Assert.DoesNotContain("c", GenerationChecks.ModelsUsed(c with { Judge = null }));
    }

    [Fact]
    public void Reads_expand_seeds_and_expander()
    {
        var c = Load("  expand_seeds: 40\n  expander: c");
        Assert.Equal(40, c.Generation.ExpandSeeds);
        Assert.Equal("c", c.Generation.Expander);
        Assert.Contains("c", GenerationChecks.ModelsUsed(c with { Judge = null }));
    }

    [Theory]
    [InlineData("  expand_seeds: -1", "out of range")]
    [InlineData("  expand_seeds: many", "must be a whole number")]
    [InlineData("  expand_seeds: 1000000", "out of range")]
    public void A_bad_count_names_its_line(string extra, string message)
    {
        var p = Problem(extra);
        Assert.Contains("generation.expand_seeds", p.Message, StringComparison.Ordinal);
        Assert.Contains(message, p.Message, StringComparison.Ordinal);
        Assert.Equal(9, p.Line);
    }

    [Fact]
    public void An_unknown_expander_names_its_line_and_the_models()
    {
        var p = Problem("  expand_seeds: 5\n  expander: gpt9");
        Assert.Contains("generation.expander 'gpt9' names no model", p.Message, StringComparison.Ordinal);
        Assert.Equal(10, p.Line);
        Assert.Contains("a, b, c", p.Fix, StringComparison.Ordinal);
    }
}
