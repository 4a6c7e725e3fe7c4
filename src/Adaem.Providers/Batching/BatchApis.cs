using System.ClientModel;
using System.ClientModel.Primitives;
using Adaem.Core.Configuration;
using Adaem.Providers.Engine;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Adaem.Providers.Batching;

/// <summary>
/// Builds a model's <see cref="IBatchApi"/>. Each gets a second client of the provider's SDK, wired to
/// <see cref="SdkWireHandler"/> instead of the network, whose chat adapter turns calls into request bodies and
/// replies into responses exactly as the model's direct client does.
/// </summary>
internal static class BatchApis
{
    /// <summary>The SDK reads this placeholder while it builds a request; nothing of it is used.</summary>
    private const string OpenAIPlaceholder =
        """{"id":"placeholder","object":"chat.completion","created":0,"model":"placeholder","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}""";

    private const string AnthropicPlaceholder =
        """{"id":"placeholder","type":"message","role":"assistant","model":"placeholder","content":[],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}""";

    /// <summary>OpenAI's or Azure OpenAI's Batch API at <paramref name="endpoint"/> (the base the chat calls use).</summary>
    public static IBatchApi OpenAI(string endpoint, string modelId, string key, bool azure, TimeSpan timeout)
    {
        var http = new HttpClient(new SdkWireHandler());
        var client = new OpenAIClient(
            new ApiKeyCredential("batch-request-builder"),
            new OpenAIClientOptions
            {
                Endpoint = new Uri(endpoint),
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            }
        );
        var wire = new SdkWire(new ContextStrippingChatClient(client.GetChatClient(modelId).AsIChatClient()), OpenAIPlaceholder, http);
        return new OpenAIBatchApi(endpoint, key, azure, wire, timeout);
    }

    /// <summary>Anthropic's Message Batches at <paramref name="endpoint"/> (the API root the chat calls use).</summary>
    public static IBatchApi Anthropic(string endpoint, string modelId, int maxTokens, string key, TimeSpan timeout)
    {
        var client = new AnthropicClient(
            new Anthropic.Core.ClientOptions
            {
                ApiKey = "batch-request-builder",
                BaseUrl = endpoint,
                MaxRetries = 0,
                Handlers = [new SdkWireHandler()],
            }
        );
        var wire = new SdkWire(new ContextStrippingChatClient(client.AsIChatClient(modelId, maxTokens)), AnthropicPlaceholder, client);
        return new AnthropicBatchApi(endpoint, key, wire, timeout);
    }
}
