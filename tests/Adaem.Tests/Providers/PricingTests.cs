using Adaem.Core.Errors;
using Adaem.Providers.Pricing;
using Xunit;

namespace Adaem.Tests.Providers;

public sealed class PricingTests
{
    private static string ExamplePath => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "pricing.yaml");

    [Fact]
    public void The_example_price_list_loads()
    {
        var prices = PriceList.Load(ExamplePath);

        Assert.Equal(new ModelPrice(2.50, 10.00), prices.Find("gpt-4o"));
        // 1000 in, 500 out at 2.50 / 10.00 USD per million.
        Assert.Equal(0.0075, prices.Cost("openai", "gpt-4o", "gpt4o", 1000, 500)!.Value, 10);
    }

    [Fact]
    public void Unknown_prices_and_unknown_usage_cost_null_never_zero()
    {
        var prices = PriceList.Parse("gpt-4o: { input: 2.5, output: 10 }", "p.yaml");

        Assert.Null(prices.Cost("openai", "gpt-9", "x", 1000, 500));
        Assert.Null(prices.Cost("openai", "gpt-4o", "x", null, 500));
        Assert.Equal(0, prices.Cost("simulated", "sim-a", "sim-a", 1000, 500));
        Assert.NotNull(prices.Cost("openai", "other-id", "gpt-4o", 1, 1)); // found by local name
    }

    [Fact]
    public void Errors_name_the_line_and_the_fix()
    {
        const string text = """
            gpt-4o: { input: 2.5, output: 10 }
            gpt-4o-mini: { input: cheap, output: 0.6 }
            o3: { input: 1 }
            claude: { input: 3, output: 15, currency: EUR }
            broken: 12
            """;

        var e = Assert.Throws<InputException>(() => PriceList.Parse(text, "pricing.yaml"));

        Assert.Contains(e.Problems, p => p.Line == 2 && p.Message.Contains("must be a number"));
        Assert.Contains(e.Problems, p => p.Line == 3 && p.Message.Contains("no 'output'"));
        Assert.Contains(e.Problems, p => p.Line == 4 && p.Message.Contains("currency"));
        Assert.Contains(e.Problems, p => p.Line == 5 && p.Message.Contains("must be a mapping"));
        Assert.All(e.Problems, p => Assert.Equal("pricing.yaml", p.File));
    }

    [Fact]
    public async Task A_priced_model_writes_its_cost_to_the_ledger()
    {
        var prices = PriceList.Parse("stub-model: { input: 1.0, output: 2.0 }", "p.yaml");
        await using var h = await EngineHarness.StartAsync(pricing: prices);

        await h.AskAsync("q");

        // The stub reports 10 prompt and 5 completion tokens.
        Assert.Equal((10 * 1.0 + 5 * 2.0) / 1e6, h.Rows().Single().Cost!.Value, 12);
        Assert.Equal((10 * 1.0 + 5 * 2.0) / 1e6, h.Pool.Counters.Total().Cost!.Value, 12);
        var summary = Assert.Single(h.Store.SummarizeCalls());
        Assert.Equal(0, summary.UnpricedCalls);
    }
}
