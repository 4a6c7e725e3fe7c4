using Adaem.Core.Configuration;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Planning;

/// <summary>
/// Counts the tokens of a model's prompts and replies. A real tokenizer where the model's encoding is known
/// (OpenAI's o200k_base, cl100k_base), the simulated pool's own rule for simulated models, an estimate otherwise.
/// </summary>
public interface ITokenCounter
{
    /// <summary>What counts: "o200k_base", "cl100k_base", "simulated (words × 1.3)", "estimate (characters / 4)".</summary>
    string Name { get; }

    /// <summary>True when this is not the model's own tokenizer, so the counts are estimates.</summary>
    bool Estimate { get; }

    /// <summary>Tokens of a piece of text (a reply).</summary>
    int Count(string text);

    /// <summary>Tokens of a request: every message, with the per-message overhead of the model's chat format.</summary>
    int Count(IReadOnlyList<ChatMessage> messages);
}

/// <summary>Chooses the token counter of each model of a config (implemented where the tokenizers live, in Adaem.Providers).</summary>
public interface ITokenCounters
{
    ITokenCounter For(ModelConfig model);
}
