using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>
/// A stub server, a temp directory with a config whose model `stub` points at it, a real SQLite store
/// and a model pool. Waits between retries are recorded instead of waited, so tests check what the
/// engine would wait without spending the time.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly List<TimeSpan> _delays = [];

    private EngineHarness(OpenAIStub stub, string dir)
    {
        Stub = stub;
        Dir = dir;
    }

    public OpenAIStub Stub { get; }
    public string Dir { get; }
    public AdaemConfig Config { get; private set; } = null!;
    public AdaemStore Store { get; private set; } = null!;
    public ModelPool Pool { get; private set; } = null!;
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
                return _delays.ToList();
        }
    }

    /// <param name="modelOptions">Extra flow-mapping entries for the `stub` model, e.g. "max_retries: 2".</param>
    /// <param name="baseUrl">Overrides the stub's URL (e.g. a closed port).</param>
    /// <param name="provider">The `stub` model's provider kind; all but openai-compatible get the stub's root as base_url.</param>
    public static async Task<EngineHarness> StartAsync(
        string modelOptions = "max_retries: 3",
        string? baseUrl = null,
        string? extraYaml = null,
        PriceList? pricing = null,
        Action<Dictionary<string, string>>? environment = null,
        string provider = "openai-compatible",
        TimeProvider? batchTime = null
    )
    {
        var stub = await OpenAIStub.StartAsync();
        var dir = Directory.CreateTempSubdirectory("adaem-engine-").FullName;
        var h = new EngineHarness(stub, dir);
        environment?.Invoke(h.Environment);
        var yaml = $$"""
            store: adaem.db
            models:
              stub: { provider: {{provider}}, base_url: "{{baseUrl
                ?? (provider == "openai-compatible" ? stub.BaseUrl.ToString() : stub.Root)}}", model: stub-model{{(
                modelOptions.Length > 0 ? ", " + modelOptions : ""
            )}} }
            {{extraYaml ?? ""}}
            """;
        var path = Path.Combine(dir, "adaem.yaml");
        await File.WriteAllTextAsync(path, yaml);
        h.Config = ConfigLoader.Load(path);
        h.Store = AdaemStore.Open(h.Config.StorePath);
        h.Pool = h.NewPool(pricing, batchTime: batchTime);
        return h;
    }

    /// <summary>A second pool on the same store and config (as a rerun of the process would have); with
    /// <paramref name="processToken"/>, its claims on calls in flight are another process's.</summary>
    /// <param name="config">Another config on the same store (e.g. the same model without batch mode).</param>
    /// <param name="batchTime">The clock of batch mode (a manual one makes the batch window exact).</param>
    public ModelPool NewPool(
        PriceList? pricing = null,
        string? processToken = null,
        AdaemConfig? config = null,
        TimeProvider? batchTime = null
    ) =>
        new(
            config ?? Config,
            Store,
            TheoryLoader.Load("schwartz10", Dir),
            pricing ?? PriceList.Empty,
            new EngineOptions
            {
                ProcessToken = processToken,
                BatchTime = batchTime ?? TimeProvider.System,
                GetEnvironment = k => Environment.TryGetValue(k, out var v) ? v : null,
                Delay = (d, _) =>
                {
                    lock (_delays)
                        _delays.Add(d);
                    return Task.CompletedTask;
                },
            }
        );

    public static CallContext Context(int sample = 0, string role = "probe", string version = "v1") =>
        new("r1", "stage-a", role, version, sample);

    /// <summary>A one-message prompt of the test's own role "probe" (no fields), read by <paramref name="parse"/>.</summary>
    public static Prompt<T> Probe<T>(
        string text,
        Func<string, ReplyParse<T>> parse,
        ChatOptions? options = null,
        Func<string, string>? reminder = null
    ) =>
        new PromptRequest("probe", "v1", [new ChatMessage(ChatRole.User, text)], default).Reading(parse) with
        {
            Options = options,
            Reminder = reminder,
        };

    /// <summary>Where <see cref="Probe{T}"/> prompts are asked (the same run and stage as <see cref="Context"/>).</summary>
    public static CallSite Site(int sample = 0) => new("r1", "stage-a", sample);

    public Task<ChatResponse> AskAsync(
        string prompt,
        int sample = 0,
        ChatOptions? options = null,
        ModelPool? pool = null,
        string model = "stub"
    ) =>
        (pool ?? Pool)
            .Chat(model)
            .GetResponseAsync(
                [new ChatMessage(ChatRole.User, prompt)],
                Context(sample).Apply(options),
                TestContext.Current.CancellationToken
            );

    public IReadOnlyList<ModelCallRecord> Rows() => Store.ListCalls();

    public async ValueTask DisposeAsync()
    {
        Pool.Dispose();
        await Stub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException) { }
    }
}
