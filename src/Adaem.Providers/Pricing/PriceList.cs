using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Adaem.Providers.Pricing;

/// <summary>USD per million input and output tokens of one model.</summary>
public sealed record ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>What a batch costs against the listed price when the pricing file gives no batch price: the
    /// providers' batch APIs (OpenAI, Azure OpenAI, Anthropic) charge half.</summary>
    public const double DefaultBatchShare = 0.5;

    /// <summary>USD per million input tokens of a batched call; null = <see cref="DefaultBatchShare"/> of the listed price.</summary>
    public double? BatchInputPerMillion { get; init; }

    /// <summary>USD per million output tokens of a batched call; null = <see cref="DefaultBatchShare"/> of the listed price.</summary>
    public double? BatchOutputPerMillion { get; init; }

    public double Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPerMillion + outputTokens * OutputPerMillion) / 1_000_000.0;

    /// <summary>The cost of a call answered inside a provider batch.</summary>
    public double BatchCost(long inputTokens, long outputTokens) =>
        (
            inputTokens * (BatchInputPerMillion ?? InputPerMillion * DefaultBatchShare)
            + outputTokens * (BatchOutputPerMillion ?? OutputPerMillion * DefaultBatchShare)
        ) / 1_000_000.0;
}

/// <summary>
/// The pricing YAML: provider model id → { input, output } in USD per million tokens (and optionally
/// batch_input, batch_output: the batch API's prices, half the listed ones when not given). A model that is
/// not listed has an unknown price, and so do calls whose provider reported no token usage: their cost
/// is null, never 0. Simulated models are free by definition.
/// </summary>
public sealed class PriceList
{
    private readonly IReadOnlyDictionary<string, ModelPrice> _prices;

    public PriceList(IReadOnlyDictionary<string, ModelPrice> prices) => _prices = prices;

    public static PriceList Empty { get; } = new(new Dictionary<string, ModelPrice>());

    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    /// <summary>The price of a model: by its provider model id first, then by its local name.</summary>
    public ModelPrice? Find(string modelId, string? localName = null) =>
        _prices.TryGetValue(modelId, out var p) ? p
        : localName is not null && _prices.TryGetValue(localName, out var q) ? q
        : null;

    /// <summary>USD of one call, or null when the price or the token counts are unknown.</summary>
    /// <param name="batched">The call was answered inside a provider batch: its batch price applies.</param>
    public double? Cost(string providerKind, string modelId, string? localName, long? inputTokens, long? outputTokens, bool batched = false)
    {
        // The simulated pool and the in-process encoders cost nothing.
        if (providerKind is ProviderKinds.Simulated or ProviderKinds.Local)
            return 0;
        if (inputTokens is null || outputTokens is null)
            return null;
        if (Find(modelId, localName) is not { } price)
            return null;
        return batched ? price.BatchCost(inputTokens.Value, outputTokens.Value) : price.Cost(inputTokens.Value, outputTokens.Value);
    }

    /// <summary>The config's pricing file, or an empty list when the config names none.</summary>
    public static PriceList ForConfig(AdaemConfig config) => config.PricingPath is { } p ? Load(p) : Empty;

    public static PriceList Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new InputException(
                full,
                null,
                "pricing file not found",
                "create it (see examples/pricing.yaml) or remove 'pricing:' from the config"
            );
        return Parse(Adaem.Core.Data.Utf8Text.Read(full), full);
    }

    public static PriceList Parse(string text, string file)
    {
        var problems = new List<InputProblem>();
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        var root = new YamlSection(YamlFile.LoadMapping(text, file), file, "", problems);
        foreach (var model in root.Keys)
        {
            if (root.Raw(model) is not YamlMappingNode)
            {
                root.Problem(
                    root.LineOf(model),
                    $"price of '{model}' must be a mapping",
                    "write it as: MODEL: { input: 2.50, output: 10.00 } (USD per million tokens)"
                );
                continue;
            }
            var s = root.Section(model)!;
            s.RejectUnknown(["input", "output", "batch_input", "batch_output"]);
            var input = s.Double("input", 0);
            var output = s.Double("output", 0);
            var batchInput = s.Double("batch_input", 0);
            var batchOutput = s.Double("batch_output", 0);
            if (!s.Has("input"))
                s.Problem(s.Line, $"price of '{model}' has no 'input'", "add input: USD per million input tokens");
            if (!s.Has("output"))
                s.Problem(s.Line, $"price of '{model}' has no 'output'", "add output: USD per million output tokens");
            if (input is { } i && output is { } o)
                prices[model] = new ModelPrice(i, o) { BatchInputPerMillion = batchInput, BatchOutputPerMillion = batchOutput };
        }
        if (problems.Count > 0)
            throw new InputException(problems);
        return new PriceList(prices);
    }
}
