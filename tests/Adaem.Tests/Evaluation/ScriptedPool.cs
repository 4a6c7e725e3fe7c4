using System.Collections.Concurrent;
using System.Text.Json;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Evaluation;

/// <summary>One call a scripted client answered: which model, role, sample and fields, and how many messages it saw.</summary>
internal sealed record ScriptedCall(string Model, string Role, int Sample, string Fields, int Messages)
{
    public string Key => $"{Model}|{Role}|{Sample}|{Messages}|{Fields}";
}

/// <summary>
/// A chat client that answers from the call context (role + fields) with a script, the way the simulated
/// pool does, and records every finished call. Cancellation is honoured before answering, so a call either
/// finished (and is recorded) or did not happen.
/// </summary>
internal sealed class ScriptedChatClient(string name, Func<ScriptedCall, JsonElement, string> script, ScriptedPool owner) : IChatClient
{
    public string Name { get; } = name;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = CallContext.From(options) ?? throw new InvalidOperationException("a call without adaem context");
        var fields = context.Fields ?? throw new InvalidOperationException("a call without fields");
        var call = new ScriptedCall(Name, context.PromptRole, context.Sample, fields.GetRawText(), messages.Count());
        var text = script(call, fields);
        owner.Record(call);
        owner.AfterCall?.Invoke(call);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>A minimal model pool for tests (stands in for the engine's ModelPool): named scripted clients, no cache.</summary>
internal sealed class ScriptedPool : IModelPool
{
    private readonly Dictionary<string, ScriptedChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();

    private readonly Dictionary<string, string> _identities = new(StringComparer.Ordinal);

    public ScriptedPool Add(string name, Func<ScriptedCall, JsonElement, string> script)
    {
        _clients[name] = new ScriptedChatClient(name, script, this);
        return this;
    }

    /// <summary>Sets the resolved identity of a model (as if its model id or endpoint changed in the config).</summary>
    public ScriptedPool SetIdentity(string name, string identity)
    {
        _identities[name] = identity;
        return this;
    }

    public string Identity(string modelName) => _identities.GetValueOrDefault(modelName, "scripted:" + modelName);

    /// <summary>Runs after each finished call (tests use it to cancel a run part-way).</summary>
    public Action<ScriptedCall>? AfterCall { get; set; }

    public IReadOnlyCollection<string> Names => _clients.Keys;

    public IReadOnlyList<ScriptedCall> Calls => _calls.ToArray();

    public IChatClient Chat(string modelName) =>
        _clients.TryGetValue(modelName, out var c) ? c : throw new KeyNotFoundException($"no scripted model '{modelName}'");

    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings(string modelName) => null;

    internal void Record(ScriptedCall call) => _calls.Enqueue(call);
}
