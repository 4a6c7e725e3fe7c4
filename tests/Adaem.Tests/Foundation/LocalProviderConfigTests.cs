using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Generation;
using Adaem.Tests.Support;

namespace Adaem.Tests.Foundation;

/// <summary>Config validation of provider <c>local</c> (built-in sentence encoders) and the dedup threshold it implies.</summary>
public class LocalProviderConfigTests
{
    private const string Valid = """
        models:
          mini: { provider: local, model: all-MiniLM-L6-v2 }
          a: { provider: simulated }
          b: { provider: simulated }
        judge: { model: a }
        embeddings: { model: mini }
        generation:
          explorers: [a, b]
          scorers: [a, b]
        evaluation:
          targets: [a, b]
        """;

    private static InputException Problems(string yaml, out string path)
    {
        using var dir = new TempDir();
        path = dir.Write("adaem.yaml", yaml);
        var file = path;
        return Assert.Throws<InputException>(() => ConfigLoader.Load(file));
    }

    [Fact]
    public void A_local_encoder_as_the_embedding_model_loads_and_sets_its_own_dedup_threshold()
    {
        using var dir = new TempDir();
        var c = ConfigLoader.Load(dir.Write("adaem.yaml", Valid));
        Assert.Equal(ProviderKinds.Local, c.Models["mini"].Provider);
        Assert.Equal("mini", c.Embeddings.Model);
        Assert.Null(c.Generation.DedupThreshold);
        Assert.Equal(DedupThresholds.MiniLm, DedupThresholds.Resolve(c));

        var overridden = ConfigLoader.Load(
            dir.Write("b.yaml", Valid.Replace("  scorers: [a, b]", "  scorers: [a, b]\n  dedup_threshold: 0.8"))
        );
        Assert.Equal(0.8, DedupThresholds.Resolve(overridden));
        var ngram = ConfigLoader.Load(dir.Write("c.yaml", Valid.Replace("embeddings: { model: mini }", "embeddings: { model: none }")));
        Assert.Equal(DedupThresholds.Ngram, DedupThresholds.Resolve(ngram));
    }

    [Fact]
    public void An_unknown_local_model_is_an_error_with_the_known_names()
    {
        var e = Problems(Valid.Replace("model: all-MiniLM-L6-v2", "model: all-mpnet-base-v2"), out var path);
        var p = Assert.Single(e.Problems);
        Assert.Equal(path, p.File);
        Assert.Equal(2, p.Line);
        Assert.Contains("'all-mpnet-base-v2'", p.Message);
        Assert.Contains("all-MiniLM-L6-v2", p.Fix);
    }

    [Fact]
    public void A_local_model_needs_a_model_name_and_takes_no_endpoint()
    {
        var missing = Assert.Single(
            Problems(Valid.Replace("{ provider: local, model: all-MiniLM-L6-v2 }", "{ provider: local }"), out _).Problems
        );
        Assert.Contains("needs 'model:'", missing.Message);
        Assert.Contains("all-MiniLM-L6-v2", missing.Fix);

        var endpoint = Assert.Single(
            Problems(
                Valid.Replace("model: all-MiniLM-L6-v2 }", "model: all-MiniLM-L6-v2, base_url: \"http://127.0.0.1:9/v1\" }"),
                out _
            ).Problems
        );
        Assert.Contains("'base_url' does not apply", endpoint.Message);
        Assert.Equal(2, endpoint.Line);
    }

    [Theory]
    [InlineData("judge: { model: a }", "judge: { model: mini }", "judge.model", 5)]
    [InlineData("  explorers: [a, b]", "  explorers: [a, mini]", "generation.explorers", 8)]
    [InlineData("  scorers: [a, b]", "  scorers:\n    - a\n    - mini", "generation.scorers", 11)]
    [InlineData("  targets: [a, b]", "  targets: [mini, b]", "evaluation.targets", 11)]
    [InlineData("  scorers: [a, b]", "  scorers: [a, b]\n  judge: mini", "generation.judge", 10)]
    [InlineData("  scorers: [a, b]", "  scorers: [a, b]\n  safety_model: mini", "generation.safety_model", 10)]
    public void A_local_encoder_in_a_chat_role_is_an_error_naming_the_line(string from, string to, string role, int line)
    {
        var e = Problems(Valid.Replace(from, to), out var path);
        var p = Assert.Single(e.Problems);
        Assert.Equal(path, p.File);
        Assert.Equal(line, p.Line);
        Assert.StartsWith($"{role} names 'mini', a local sentence encoder", p.Message);
        Assert.Contains("embeddings", p.Fix);
    }
}
