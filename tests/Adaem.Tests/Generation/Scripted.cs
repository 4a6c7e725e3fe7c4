using System.Text.Json;
using Adaem.Core.Evaluation;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Generation;

/// <summary>Stable string hashing for scripted answers (string.GetHashCode is randomised per process).</summary>
internal static class StableHash
{
    public static uint Of(params object[] parts)
    {
        var h = 2166136261u;
        foreach (var p in parts)
        {
            foreach (var c in Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture) ?? "") { h ^= c; h *= 16777619u; }
            h ^= 0x1F; h *= 16777619u;
        }
        return h;
    }

    public static readonly string[] Words =
    [
        "farmers", "pensions", "drones", "festivals", "rivers", "tariffs", "clinics", "villages", "startups", "miners", "libraries", "ferries",
        "bakeries", "nurses", "islands", "railways", "theatres", "vineyards", "fisheries", "mosques", "temples", "churches", "harbours", "deserts",
        "glaciers", "monks", "sailors", "teachers", "coders", "judges", "soldiers", "poets", "refugees", "landlords", "tenants", "brewers",
        "surgeons", "pilots", "herders", "weavers", "cyclists", "divers", "students", "retirees", "chefs", "artists", "athletes", "priests",
    ];

    public static string Word(uint h, int k) => Words[(int)((h >> (k * 5)) % (uint)Words.Length)];
}

/// <summary>
/// A zero-latency model that answers the generation roles from the fields in CallContext, deterministically
/// in (model, role, fields, sample). Optional faults: a role whose first attempt (re-ask digit 0 of the sample) is garbage,
/// or a role that always answers garbage.
/// </summary>
internal sealed class ScriptedChatClient(string name) : IChatClient
{
    private int _calls;

    public string Name => name;
    public int Calls => Volatile.Read(ref _calls);
    public HashSet<string> GarbageFirstAttempt { get; } = [];
    public HashSet<string> AlwaysGarbage { get; } = [];
    /// <summary>Replaces the explore_question answer (e.g. always the same question, to exercise dedup).</summary>
    public Func<JsonElement, int, string>? QuestionOverride { get; set; }
    /// <summary>Called before each answer (tests cancel a run from here).</summary>
    public Action<string>? OnCall { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        var ctx = CallContext.From(options) ?? throw new InvalidOperationException("no call context");
        OnCall?.Invoke(ctx.PromptRole);
        cancellationToken.ThrowIfCancellationRequested();
        var f = ctx.Fields ?? throw new InvalidOperationException("no fields");
        string text;
        if (AlwaysGarbage.Contains(ctx.PromptRole) || (GarbageFirstAttempt.Contains(ctx.PromptRole) && StructuredReply.ReAskOf(ctx.Sample) == 0))
        {
            text = "I am not sure what you mean.";
        }
        else
        {
            text = ctx.PromptRole switch
            {
                PromptRoles.ExploreContext => ExploreContext(f, ctx.Sample),
                PromptRoles.ExploreQuestion => QuestionOverride?.Invoke(f, ctx.Sample) ?? ExploreQuestion(f, ctx.Sample),
                PromptRoles.Reflect => $"The key points overlap.\n[Suggestions]: bring in the view of {StableHash.Word(StableHash.Of(name, S(f, "question")), 1)}",
                PromptRoles.Refine => Refine(f),
                PromptRoles.SeedConvert => $"[Question]: Is it right that {S(f, "argument").ToLowerInvariant()}?",
                PromptRoles.Safety => S(f, "question").Contains("bomb", StringComparison.OrdinalIgnoreCase) ? "unsafe\nS9: weapons" : "safe",
                _ => throw new InvalidOperationException($"scripted model has no answer for role {ctx.PromptRole}"),
            };
        }
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
    }

    private string ExploreContext(JsonElement f, int sample)
    {
        var h = StableHash.Of(name, S(f, "general"), f.GetProperty("used_contexts").GetArrayLength(), sample);
        return $"Let me think.\n[Information]: a dispute between {StableHash.Word(h, 0)} and {StableHash.Word(h, 1)} near {StableHash.Word(h, 2)}";
    }

    private string ExploreQuestion(JsonElement f, int sample)
    {
        var h = StableHash.Of(name, S(f, "information"), sample);
        return $"[Argument]: {StableHash.Word(h, 0)} deserve it\n[Question]: Should {StableHash.Word(h, 0)} fund {StableHash.Word(h, 1)} for {StableHash.Word(h, 2)} and {StableHash.Word(h, 3)}?";
    }

    private string Refine(JsonElement f)
    {
        var q = S(f, "question").TrimEnd('?');
        var h = StableHash.Of(name, q, S(f, "suggestions"));
        return $"**[Question]:** {q} despite {StableHash.Word(h, 4)}?";
    }

    private static string S(JsonElement f, string key) => f.TryGetProperty(key, out var v) ? v.GetString() ?? "" : "";

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal sealed class ScriptedPool : IModelPool
{
    private readonly Dictionary<string, ScriptedChatClient> _clients = new(StringComparer.Ordinal);

    public ScriptedPool(params string[] names)
    {
        foreach (var n in names) _clients[n] = new ScriptedChatClient(n);
    }

    public IReadOnlyCollection<string> Names => _clients.Keys;

    public ScriptedChatClient this[string name] => _clients[name];

    public int Calls => _clients.Values.Sum(c => c.Calls);

    public string Identity(string modelName) => "scripted:" + modelName;

    public IChatClient Chat(string modelName) => _clients[modelName];

    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings(string modelName) => null;

    public void OnEveryCall(Action<string> action)
    {
        foreach (var c in _clients.Values) c.OnCall = action;
    }
}

/// <summary>
/// Answers and judgments without a model: each model's opinions and their values follow from a hash of
/// (question, model), so different questions get different scores and the same question always the same.
/// Models named in <see cref="Broken"/> fail to answer.
/// </summary>
internal sealed class ScriptedJudging : IOpinionJudging
{
    private static readonly string[] Codes =
        ["self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity", "tradition", "benevolence", "universalism"];

    private int _answers;
    private int _questionJudgments;

    public HashSet<string> Broken { get; } = new(StringComparer.Ordinal);
    public int Answers => Volatile.Read(ref _answers);
    public int QuestionJudgments => Volatile.Read(ref _questionJudgments);
    /// <summary>Called before each answer (tests cancel a run from here).</summary>
    public Action? OnAnswer { get; set; }

    public Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(string run, string purpose, Question question, IReadOnlyList<string> models, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        OnAnswer?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
        var list = new List<JudgedResponse>();
        foreach (var m in models)
        {
            Interlocked.Increment(ref _answers);
            if (Broken.Contains(m))
            {
                list.Add(new JudgedResponse(question.Id, m, 0, null, []) { Failure = "unparseable answer" });
                continue;
            }
            var h = StableHash.Of(question.Text, m);
            var opinions = new List<Opinion>();
            var values = new List<IReadOnlySet<string>>();
            for (var k = 0; k < 3; k++)
            {
                var hk = StableHash.Of(h, k);
                opinions.Add(new Opinion($"{StableHash.Word(hk, 0)} matter", $"because {StableHash.Word(hk, 1)} and {StableHash.Word(hk, 2)}"));
                var set = new HashSet<string> { Codes[hk % 10] };
                if (hk % 3 == 0) set.Add(Codes[(hk / 10) % 10]);
                values.Add(set);
            }
            list.Add(new JudgedResponse(question.Id, m, 0, new ParsedResponse(h % 2 == 0 ? Stances.Yes : Stances.No, opinions), values));
        }
        return Task.FromResult<IReadOnlyList<JudgedResponse>>(list);
    }

    public Task<IReadOnlySet<string>> JudgeQuestionAsync(string run, string purpose, Question question, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _questionJudgments);
        var h = StableHash.Of(question.Text);
        return Task.FromResult<IReadOnlySet<string>>(new HashSet<string> { Codes[h % 10], Codes[(h / 10) % 10] });
    }
}
