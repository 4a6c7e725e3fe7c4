using System.Globalization;
using System.Text;

namespace Adaem.Tests.Support;

/// <summary>
/// The adaem.yaml the tests write again and again, built from its parts: the store, the models (simulated ones,
/// and ones on a loopback stub), the judge, and the generation and evaluation sections. <see cref="StubEvaluation"/>
/// and <see cref="SimulatedGeneration"/> are the two setups many tests share; a test adds what it needs and
/// writes the file with <see cref="WriteTo"/>. A test whose config is itself under test (a bad key, a line
/// number in an error) writes its YAML by hand.
/// </summary>
public sealed class TestConfig
{
    private readonly string _store;
    private readonly List<(string Name, string Mapping)> _models = [];
    private readonly List<string> _generation = [];
    private readonly List<string> _evaluation = [];
    private string? _judge;

    private TestConfig(string store) => _store = store;

    /// <summary>A config with only a store (a path, or a name relative to the config file).</summary>
    public static TestConfig Create(string store = "adaem.db") => new(store);

    /// <summary>
    /// One target on the loopback stub beside a simulated one, judged by the simulated judge: 'remote'
    /// (<paramref name="remote"/>, e.g. <see cref="OnStub"/>), 'local' (simulated, seed 7, leaning to universalism,
    /// with <paramref name="localKeys"/> such as "concurrency: 2"), 'judge'; evaluation of [local, remote] with 3
    /// opinions and 20 bootstrap samples.
    /// </summary>
    public static TestConfig StubEvaluation(string remote, string? localKeys = null, string store = "adaem.db") =>
        Create(store)
            .Model("remote", remote)
            .Simulated("local", 7, "universalism: 0.9, power: 0.1", localKeys)
            .SimulatedJudge()
            .Evaluation("targets: [local, remote]", "opinions: 3", "bootstrap: 20");

    /// <summary>
    /// A small offline generation: simulated explorers e1 and e2 and scorers e1 to e3 of different profiles, the
    /// simulated judge, 4 bandit steps over 3 arms keeping 12 questions; evaluation of [e1, e2].
    /// </summary>
    public static TestConfig SimulatedGeneration() =>
        Create()
            .Simulated("e1", 1, "tradition: 0.8, security: 0.6")
            .Simulated("e2", 2, "self_direction: 0.8, hedonism: 0.6")
            .Simulated("e3", 3, "universalism: 0.8, power: 0.2")
            .SimulatedJudge()
            .Generation("explorers: [e1, e2]", "scorers: [e1, e2, e3]", "budget: 4", "max_arms: 3", "select_top: 12")
            .Evaluation("targets: [e1, e2]");

    /// <summary>
    /// A model on an OpenAI-compatible stub, as the flow mapping after its name: the stub's base URL, the model id,
    /// the variable that holds its key (if any) and <paramref name="keys"/> such as "max_retries: 0".
    /// </summary>
    public static string OnStub(Uri baseUrl, string? keyVariable = null, string? keys = null, string model = "stub-model") =>
        $"{{ provider: openai-compatible, base_url: \"{baseUrl}\", model: {model}"
        + (keyVariable is null ? "" : $", api_key_env: {keyVariable}")
        + (keys is null ? "" : $", {keys}")
        + " }";

    /// <summary>A model, given as the flow mapping after its name ("{ provider: simulated, seed: 1 }").</summary>
    public TestConfig Model(string name, string mapping)
    {
        _models.Add((name, mapping));
        return this;
    }

    /// <summary>A simulated model with its seed, its profile ("tradition: 0.8, security: 0.6") and other keys.</summary>
    public TestConfig Simulated(string name, int seed, string? profile = null, string? keys = null) =>
        Model(
            name,
            $"{{ provider: simulated, seed: {seed.ToString(CultureInfo.InvariantCulture)}"
                + (keys is null ? "" : $", {keys}")
                + (profile is null ? "" : $", profile: {{ {profile} }}")
                + " }"
        );

    /// <summary>The simulated judge 'judge' (seed 99), listed after the other models, judging in batched mode.</summary>
    public TestConfig SimulatedJudge() => Judge("judge");

    /// <summary>The judge section: <paramref name="model"/> in batched mode, with the simulated 'judge' model listed last.</summary>
    public TestConfig Judge(string model)
    {
        _judge = model;
        return this;
    }

    /// <summary>Lines of the generation section ("budget: 4"), after those given before.</summary>
    public TestConfig Generation(params string[] lines)
    {
        _generation.AddRange(lines);
        return this;
    }

    /// <summary>Lines of the evaluation section ("targets: [a, b]"), after those given before.</summary>
    public TestConfig Evaluation(params string[] lines)
    {
        _evaluation.AddRange(lines);
        return this;
    }

    /// <summary>The config's text.</summary>
    public string Yaml
    {
        get
        {
            var sb = new StringBuilder();
            sb.Append("store: ").Append(_store).Append('\n').Append("models:\n");
            foreach (var (name, mapping) in _models)
                sb.Append("  ").Append(name).Append(": ").Append(mapping).Append('\n');
            if (_judge is not null)
            {
                sb.Append("  judge: { provider: simulated, seed: 99 }\n");
                sb.Append("judge: { model: ").Append(_judge).Append(", mode: batched }\n");
            }
            Section(sb, "generation", _generation);
            Section(sb, "evaluation", _evaluation);
            return sb.ToString();
        }
    }

    /// <summary>Writes the config as <paramref name="name"/> in <paramref name="dir"/> and returns its path.</summary>
    public string WriteTo(TempDir dir, string name = "adaem.yaml") => dir.Write(name, Yaml);

    private static void Section(StringBuilder sb, string name, List<string> lines)
    {
        if (lines.Count == 0)
            return;
        sb.Append(name).Append(":\n");
        foreach (var line in lines)
            sb.Append("  ").Append(line).Append('\n');
    }
}
