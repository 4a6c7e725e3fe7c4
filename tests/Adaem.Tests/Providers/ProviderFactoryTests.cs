using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Simulated;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

public sealed class ProviderFactoryTests
{
    private static readonly ValueTheory Theory = TheoryLoader.Load("schwartz10", ".");

    private static ProviderSettings Env(params (string Key, string Value)[] vars) =>
        new() { GetEnvironment = k => vars.FirstOrDefault(v => v.Key == k).Value, ConfigPath = "adaem.yaml" };

    [Theory]
    [InlineData("openai", null, "https://api.openai.com/v1", true)]
    [InlineData("openai-compatible", "http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1", true)]
    [InlineData("ollama", null, "http://localhost:11434", true)]
    [InlineData("anthropic", null, "https://api.anthropic.com", false)]
    [InlineData("azure-openai", "https://res.openai.azure.com/", "https://res.openai.azure.com/openai/v1", true)]
    public void Each_provider_kind_builds_a_chat_client_and_says_who_it_is(
        string provider,
        string? baseUrl,
        string endpoint,
        bool hasEmbeddings
    )
    {
        var model = new ModelConfig
        {
            Name = "m",
            Provider = provider,
            Model = "model-id",
            BaseUrl = baseUrl,
            ApiKeyEnv = "KEY",
            Line = 3,
        };

        using var client = ProviderFactory.Create(model, Theory, Env(("KEY", "sk-test-0123456789abcdef")));

        Assert.Equal(provider, client.Identity.ProviderKind);
        Assert.Equal(endpoint, client.Identity.Endpoint);
        Assert.Equal("model-id", client.Identity.ModelId);
        Assert.Equal("m", client.Identity.LocalName);
        Assert.NotNull(client.Chat);
        Assert.Equal(hasEmbeddings, client.Embeddings is not null);
    }

    [Fact]
    public void Azure_uses_the_deployment_as_the_model_id()
    {
        var model = new ModelConfig
        {
            Name = "az",
            Provider = "azure-openai",
            BaseUrl = "https://res.openai.azure.com/openai/v1/",
            Deployment = "my-gpt4o",
            ApiKeyEnv = "KEY",
        };

        using var client = ProviderFactory.Create(model, Theory, Env(("KEY", "secret-azure-key")));

        Assert.Equal("my-gpt4o", client.Identity.ModelId);
        Assert.Equal("https://res.openai.azure.com/openai/v1", client.Identity.Endpoint);
    }

    [Fact]
    public void A_missing_key_names_the_variable_and_the_line()
    {
        var model = new ModelConfig
        {
            Name = "gpt",
            Provider = "openai",
            Model = "gpt-4o",
            ApiKeyEnv = "OPENAI_API_KEY",
            ApiKeyEnvLine = 7,
            Line = 6,
        };

        var e = Assert.Throws<InputException>(() => ProviderFactory.Create(model, Theory, Env()));

        var p = Assert.Single(e.Problems);
        Assert.Equal(7, p.Line);
        Assert.Contains("OPENAI_API_KEY", p.Message);
    }

    [Fact]
    public void A_simulated_model_is_the_simulated_client_and_its_identity_follows_its_profile()
    {
        var a = new ModelConfig
        {
            Name = "sim",
            Provider = "simulated",
            Profile = new Dictionary<string, double> { ["power"] = 0.9 },
            Seed = 1,
        };
        var b = a with { Profile = new Dictionary<string, double> { ["power"] = 0.1 } };

        using var ca = ProviderFactory.Create(a, Theory);
        using var cb = ProviderFactory.Create(b, Theory);

        Assert.IsType<SimulatedChatClient>(ca.Chat);
        Assert.Null(ca.Embeddings);
        Assert.StartsWith("simulated:", ca.Identity.Endpoint);
        Assert.NotEqual(ca.Identity.Endpoint, cb.Identity.Endpoint);
    }

    /// <summary>
    /// The identity is in the cache key and the answers' fingerprints: whatever changes a simulated answer must change it,
    /// or the old answers are served to the new respondent.
    /// </summary>
    [Fact]
    public void A_simulated_identity_changes_with_everything_its_answers_depend_on()
    {
        var a = new ModelConfig
        {
            Name = "sim",
            Provider = "simulated",
            Model = "shared-id",
            Profile = new Dictionary<string, double> { ["tradition"] = 0.2 },
            LanguageBias = new Dictionary<string, IReadOnlyDictionary<string, double>>
            {
                ["zh"] = new Dictionary<string, double> { ["tradition"] = 0.5 },
            },
        };
        string Endpoint(ModelConfig m, ValueTheory? theory = null)
        {
            using var client = ProviderFactory.Create(m, theory ?? Theory);
            return client.Identity.Endpoint;
        }
        var reworded = Theory with
        {
            Values = [Theory.Values[0] with { Definition = Theory.Values[0].Definition + " (reworded)" }, .. Theory.Values.Skip(1)],
        };

        var same = Endpoint(a with { Profile = new Dictionary<string, double> { ["tradition"] = 0.2 } });
        var variants = new[]
        {
            Endpoint(a),
            // The planted language effect: only the zh answers differ, and they must not be served from the old bias.
            Endpoint(
                a with
                {
                    LanguageBias = new Dictionary<string, IReadOnlyDictionary<string, double>>
                    {
                        ["zh"] = new Dictionary<string, double> { ["tradition"] = 0.1 },
                    },
                }
            ),
            Endpoint(a with { LanguageBias = null }),
            // No seed configured: the respondent draws with a seed derived from its name, so another name answers differently
            // under the same model id.
            Endpoint(a with { Name = "sim2" }),
            Endpoint(a with { Seed = 3 }),
            Endpoint(a with { Noise = 0.3 }),
            Endpoint(a, reworded),
        };

        Assert.Equal(variants[0], same);
        Assert.Equal(variants.Length, variants.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_defaults_layer_fills_only_what_the_caller_left_unset()
    {
        var model = new ModelConfig
        {
            Name = "m",
            Provider = "simulated",
            Temperature = 0.3,
            TopP = 0.9,
            MaxTokens = 100,
            Seed = 5,
        };
        var layer = new Adaem.Providers.Engine.ModelDefaultsChatClient(new SimulatedChatClient(model, Theory), model);

        var filled = layer.WithDefaults(new ChatOptions { Temperature = 1.0f })!;

        Assert.Equal(1.0f, filled.Temperature);
        Assert.Equal(0.9f, filled.TopP);
        Assert.Equal(100, filled.MaxOutputTokens);
        Assert.Equal(5, filled.Seed);
    }
}
