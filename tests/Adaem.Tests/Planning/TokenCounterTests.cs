using Adaem.Core.Configuration;
using Adaem.Core.Planning;
using Adaem.Core.Prompts;
using Adaem.Providers.Planning;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Adaem.Tests.Planning;

/// <summary>Which tokenizer counts a model's prompts, and that its counts are the encoding's own plus OpenAI's chat framing.</summary>
public sealed class TokenCounterTests
{
    private static ModelConfig Model(string provider, string? model, string? deployment = null) =>
        new()
        {
            Name = "m",
            Provider = provider,
            Model = model,
            Deployment = deployment,
        };

    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini", "o200k_base")]
    [InlineData("gpt-4.1-nano", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("o1", "o200k_base")]
    [InlineData("openai/gpt-4o", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("Qwen/Qwen2.5-7B-Instruct", null)]
    [InlineData("claude-3-5-sonnet-latest", null)]
    [InlineData("llama3.1:8b", null)]
    [InlineData("o1x", null)]
    public void A_model_id_maps_to_its_OpenAI_encoding_or_to_none(string id, string? encoding) =>
        Assert.Equal(encoding, TokenCounters.EncodingOf(id));

    [Fact]
    public void Known_encodings_count_with_the_real_tokenizer_and_OpenAI_chat_framing()
    {
        var counters = new TokenCounters();
        var prompt = OpinionPrompt.For("Should cities ban cars from their centres?", 3).Messages;
        var o200k = TiktokenTokenizer.CreateForEncoding("o200k_base");

        var counter = counters.For(Model(ProviderKinds.OpenAICompatible, "gpt-4o-mini"));

        Assert.Equal("o200k_base", counter.Name);
        Assert.False(counter.Estimate);
        Assert.Equal(prompt.Sum(m => o200k.CountTokens(m.Text) + 3) + 3, counter.Count(prompt));
        Assert.Equal(o200k.CountTokens("Stance: yes"), counter.Count("Stance: yes"));
        // An Azure deployment is known by the model it serves.
        Assert.Equal("o200k_base", counters.For(Model(ProviderKinds.AzureOpenAI, "gpt-4o", deployment: "prod-chat")).Name);
        Assert.Equal("cl100k_base", counters.For(Model(ProviderKinds.OpenAI, "gpt-4")).Name);
    }

    [Fact]
    public void Unknown_models_are_estimated_and_say_so_and_simulated_ones_count_as_the_pool_reports()
    {
        var counters = new TokenCounters();
        var estimate = counters.For(Model(ProviderKinds.Ollama, "llama3.1:8b"));
        Assert.True(estimate.Estimate);
        Assert.Contains("estimate", estimate.Name);
        Assert.Equal(3, estimate.Count("twelve chars"));

        var simulated = counters.For(Model(ProviderKinds.Simulated, null));
        Assert.False(simulated.Estimate);
        // 1.3 tokens a word, per message, rounded up: as SimulatedChatClient reports usage.
        Assert.Equal(7, simulated.Count([new ChatMessage(ChatRole.System, "one two three"), new ChatMessage(ChatRole.User, "four five")]));
    }

    [Fact]
    public void Filler_text_of_a_token_length_counts_about_that_long()
    {
        var counter = new TokenCounters().For(Model(ProviderKinds.OpenAI, "gpt-4o"));
        foreach (var tokens in new[] { 20, 80, 300 })
            Assert.InRange(counter.Count(FillerText.OfTokens(counter, tokens)), tokens * 0.9, tokens * 1.1);
    }
}
