using Adaem.Core.Configuration;
using Adaem.Core.Planning;
using Adaem.Providers.Simulated;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Adaem.Providers.Planning;

/// <summary>
/// The token counter of each model, for `adaem plan`. OpenAI's models by their id: gpt-4o, gpt-4.1, gpt-4.5,
/// gpt-5 and the o-series (o1, o3, o4) count with o200k_base; gpt-4 and gpt-3.5 with cl100k_base (Microsoft.ML.Tokenizers,
/// vocabularies from its data packages, nothing downloaded). An "openai/" prefix (OpenRouter) is ignored, and an Azure
/// deployment is known by its `model:` when set. Simulated models count as the simulated pool reports usage
/// (1.3 tokens a word). Every other model (Anthropic, Ollama, vLLM servers) is estimated at four characters a token,
/// and the plan labels its counts as estimates.
/// </summary>
internal sealed class TokenCounters : ITokenCounters
{
    private static readonly Lazy<TiktokenCounter> O200k = new(() =>
        new TiktokenCounter("o200k_base", TiktokenTokenizer.CreateForEncoding("o200k_base"))
    );
    private static readonly Lazy<TiktokenCounter> Cl100k = new(() =>
        new TiktokenCounter("cl100k_base", TiktokenTokenizer.CreateForEncoding("cl100k_base"))
    );

    public ITokenCounter For(ModelConfig model)
    {
        if (model.Provider == ProviderKinds.Simulated)
            return SimulatedCounter.Instance;
        return EncodingOf(model.Model ?? model.Deployment ?? model.Name) switch
        {
            "o200k_base" => O200k.Value,
            "cl100k_base" => Cl100k.Value,
            _ => EstimateCounter.Instance,
        };
    }

    /// <summary>The tiktoken encoding of an OpenAI model id, or null when it is not known.</summary>
    public static string? EncodingOf(string modelId)
    {
        var id = modelId.Trim().ToLowerInvariant();
        if (id.StartsWith("openai/", StringComparison.Ordinal))
            id = id["openai/".Length..];
        string[] o200k = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4"];
        if (o200k.Any(p => id == p || id.StartsWith(p + "-", StringComparison.Ordinal) || id.StartsWith(p + ".", StringComparison.Ordinal)))
            return "o200k_base";
        if (
            id.StartsWith("gpt-4", StringComparison.Ordinal)
            || id.StartsWith("gpt-3.5", StringComparison.Ordinal)
            || id.StartsWith("gpt-35", StringComparison.Ordinal)
        )
            return "cl100k_base";
        return null;
    }

    /// <summary>
    /// An OpenAI encoding. A chat request costs each message's content plus 3 tokens of framing, and 3 more that
    /// prime the reply (OpenAI's published accounting for its chat models).
    /// </summary>
    public sealed class TiktokenCounter(string name, Tokenizer tokenizer) : ITokenCounter
    {
        public const int PerMessage = 3;
        public const int PerReply = 3;

        public string Name { get; } = name;
        public bool Estimate => false;

        public int Count(string text) => text.Length == 0 ? 0 : tokenizer.CountTokens(text);

        public int Count(IReadOnlyList<ChatMessage> messages) => messages.Sum(m => PerMessage + Count(m.Text)) + PerReply;
    }

    /// <summary>The simulated pool's own accounting (<c>SimulatedChatClient</c>): per message, 1.3 tokens a word, rounded up.</summary>
    public sealed class SimulatedCounter : ITokenCounter
    {
        public static SimulatedCounter Instance { get; } = new();

        public string Name => "simulated (words × 1.3)";
        public bool Estimate => false;

        public int Count(string text) => (int)Math.Ceiling(QuestionText.WordCount(text) * 1.3);

        public int Count(IReadOnlyList<ChatMessage> messages) => messages.Sum(m => Count(m.Text));
    }

    /// <summary>Four characters a token, the usual rule for English, with the same framing as OpenAI's.</summary>
    public sealed class EstimateCounter : ITokenCounter
    {
        public static EstimateCounter Instance { get; } = new();

        public string Name => "estimate (characters / 4)";
        public bool Estimate => true;

        public int Count(string text) => (text.Length + 3) / 4;

        public int Count(IReadOnlyList<ChatMessage> messages) =>
            messages.Sum(m => TiktokenCounter.PerMessage + Count(m.Text)) + TiktokenCounter.PerReply;
    }
}
