using System.Collections.Concurrent;
using System.Text.Json;
using Adaem.Core.Models;
using Microsoft.Extensions.AI;

namespace Adaem.Testing;

/// <summary>
/// A model pool of <see cref="ScriptedChatClient"/>s by name, standing in for the engine's ModelPool (no
/// cache, limits or ledger). It records the calls of all its models in order of completion, counts the calls
/// that reached them, and runs hooks around each call (tests cancel a run part-way from there).
/// </summary>
public sealed class ScriptedPool : IModelPool
{
    // Models and identities are set up before a run and only read during it.
    private readonly Dictionary<string, ScriptedChatClient> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _identities = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();
    private int _asked;

    /// <summary>A pool of models that answer the generation roles (<see cref="GenerationScript"/>); none when no names are given.</summary>
    public ScriptedPool(params string[] names)
    {
        foreach (var n in names)
            Add(n, GenerationScript.Answer);
    }

    /// <summary>Adds the model <paramref name="name"/> answering with <paramref name="script"/>, replacing any model of that
    /// name.</summary>
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

    /// <summary>Runs when a call reached a model, before it is answered; the call is cancelled if its token is cancelled by then.</summary>
    public Action<ScriptedCall>? BeforeCall { get; set; }

    /// <summary>Runs after each answered call.</summary>
    public Action<ScriptedCall>? AfterCall { get; set; }

    public ScriptedChatClient this[string name] => _clients[name];

    public IReadOnlyCollection<string> Names => _clients.Keys;

    /// <summary>Calls that reached any model of the pool, answered or not.</summary>
    public int Asked => Volatile.Read(ref _asked);

    /// <summary>Calls the pool's models answered, in order of completion.</summary>
    public IReadOnlyList<ScriptedCall> Calls => _calls.ToArray();

    public string Identity(string modelName) => _identities.GetValueOrDefault(modelName, "scripted:" + modelName);

    public IChatClient Chat(string modelName) =>
        _clients.TryGetValue(modelName, out var c) ? c : throw new KeyNotFoundException($"no scripted model '{modelName}'");

    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings(string modelName) => null;

    internal void CountAsked() => Interlocked.Increment(ref _asked);

    internal void Record(ScriptedCall call) => _calls.Enqueue(call);
}
