using System.Collections.Concurrent;
using System.Text.Json;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Adaem.Testing;

/// <summary>
/// A zero-latency chat client that answers from the call's context (role, sample and fields in
/// <see cref="CallContext"/>) with a script, in place of a model. It counts every call that reaches it
/// (<see cref="Asked"/>) and records every call it answered (<see cref="Calls"/>). Cancellation is honoured
/// before answering, so a call either finished (and is recorded) or was not answered. Faults can be set per
/// role: a garbage first attempt (re-ask digit 0 of the sample), always garbage, or another answer.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    /// <summary>What a model that did not follow the reply format says.</summary>
    public const string Garbage = "I am not sure what you mean.";

    private readonly Func<ScriptedCall, JsonElement, string> _script;
    private readonly ScriptedPool? _pool;
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();

    // Set up before a run and only read during it.
    private readonly Dictionary<string, Func<ScriptedCall, JsonElement, string>> _overrides = new(StringComparer.Ordinal);
    private int _asked;

    /// <param name="script">Answers a call from its context and fields; by default <see cref="GenerationScript.Answer"/>.</param>
    public ScriptedChatClient(string name, Func<ScriptedCall, JsonElement, string>? script = null)
        : this(name, script, null) { }

    internal ScriptedChatClient(string name, Func<ScriptedCall, JsonElement, string>? script, ScriptedPool? pool)
    {
        Name = name;
        _script = script ?? GenerationScript.Answer;
        _pool = pool;
    }

    public string Name { get; }

    /// <summary>Calls that reached this model, answered or not (a rerun that asks nothing leaves it at 0).</summary>
    public int Asked => Volatile.Read(ref _asked);

    /// <summary>Calls this model answered, in order of completion.</summary>
    public IReadOnlyList<ScriptedCall> Calls => _calls.ToArray();

    /// <summary>Roles whose first attempt (re-ask digit 0 of the sample) is answered with <see cref="Garbage"/>.</summary>
    public HashSet<string> GarbageFirstAttempt { get; } = [];

    /// <summary>Roles always answered with <see cref="Garbage"/>.</summary>
    public HashSet<string> AlwaysGarbage { get; } = [];

    /// <summary>Answers <paramref name="role"/> with <paramref name="answer"/> instead of the script (e.g. always the same question, to
    /// exercise dedup).</summary>
    public ScriptedChatClient Override(string role, Func<ScriptedCall, JsonElement, string> answer)
    {
        _overrides[role] = answer;
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _asked);
        _pool?.CountAsked();
        var context = CallContext.From(options) ?? throw new InvalidOperationException("a call without adaem context");
        var fields = context.Fields ?? throw new InvalidOperationException("a call without fields");
        var call = new ScriptedCall(Name, context.PromptRole, context.Sample, fields.GetRawText(), messages.Count());
        _pool?.BeforeCall?.Invoke(call);
        cancellationToken.ThrowIfCancellationRequested();
        var text = Answer(call, fields);
        _calls.Enqueue(call);
        _pool?.Record(call);
        _pool?.AfterCall?.Invoke(call);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
    }

    private string Answer(ScriptedCall call, JsonElement fields)
    {
        if (AlwaysGarbage.Contains(call.Role) || (GarbageFirstAttempt.Contains(call.Role) && StructuredReply.ReAskOf(call.Sample) == 0))
            return Garbage;
        return _overrides.TryGetValue(call.Role, out var answer) ? answer(call, fields) : _script(call, fields);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    ) => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }
}
