using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Configuration;
using Adaem.Storage;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;
using Microsoft.ML.Tokenizers;

namespace Adaem.Tests.Planning;

/// <summary>
/// `adaem plan` against what a run then costs, through the real CLI and two loopback OpenAI-compatible servers
/// that report usage as OpenAI does (o200k_base, 3 tokens of framing per message and 3 for the reply). A pilot
/// evaluation on other questions measures the replies; the plan of the main evaluation asks no server anything;
/// the main evaluation's ledger is then within ±10 % of the planned calls and ±25 % of the planned tokens, and
/// `adaem runs` shows the plan beside it and the calls per server of the replicated target.
/// </summary>
public sealed class PlanAccuracyTests : IDisposable
{
    private static readonly Tokenizer O200k = TiktokenTokenizer.CreateForEncoding("o200k_base");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>A readable answer whose length depends on the question and the model; a judge verdict; usage counted like
    /// OpenAI's.</summary>
    internal static StubReply Answer(StubRequest r)
    {
        var messages = (r.Body?["messages"] as JsonArray ?? []).Select(m => Text(m?["content"])).ToList();
        var model = r.Body?["model"]?.GetValue<string>() ?? "";
        string reply;
        if (r.Prompt.Contains("Decide where you stand", StringComparison.Ordinal))
        {
            var h = SHA256.HashData(Encoding.UTF8.GetBytes(model + r.Prompt));
            var sb = new StringBuilder("Stance: ").Append(h[0] % 2 == 0 ? "yes" : "no").Append("\nKey Points:\n");
            for (var i = 1; i <= 3; i++)
                sb.Append(i)
                    .Append(". Point ")
                    .Append(i)
                    .Append(" of ")
                    .Append(model)
                    .Append(": ")
                    .Append(Adaem.Core.Planning.FillerText.OfWords(8 + h[i] % 25))
                    .Append('\n');
            reply = sb.ToString();
        }
        else if (r.Prompt.Contains("numbered opinions", StringComparison.Ordinal))
        {
            reply =
                """{"opinions":[{"index":1,"values":["security"]},{"index":2,"values":[]},{"index":3,"values":["benevolence","universalism"]}]}""";
        }
        else
            reply = "ok";
        var prompt = messages.Sum(m => O200k.CountTokens(m) + 3) + 3;
        return StubReply.Chat(reply, prompt, O200k.CountTokens(reply));
    }

    private static string Text(JsonNode? content) =>
        content switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
            _ => "",
        };

    private string Questions(string name, int count, int offset) =>
        _dir.Write(
            name,
            string.Join(
                "\n",
                Enumerable
                    .Range(offset, count)
                    .Select(i =>
                        JsonSerializer.Serialize(
                            new
                            {
                                id = $"q{i}",
                                question = $"Should town {i} spend {i * 7 % 90 + 10} percent of its budget on {Topics[i % Topics.Length]}?",
                            }
                        )
                    )
            ) + "\n"
        );

    private static readonly string[] Topics =
    [
        "public transport",
        "the police",
        "care for the elderly",
        "a new stadium",
        "free school meals",
        "street lighting",
    ];

    [Fact]
    public async Task The_plan_of_an_evaluation_is_within_10_percent_of_its_calls_and_25_percent_of_its_tokens_and_asks_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await OpenAIStub.StartAsync(ct);
        await using var b = await OpenAIStub.StartAsync(ct);
        a.Script = Answer;
        b.Script = Answer;
        var config = _dir.Write(
            "adaem.yaml",
            $$"""
            store: adaem.db
            models:
              solo:  { provider: openai-compatible, base_url: "{{a.BaseUrl}}", model: gpt-4o-mini }
              fleet: { provider: openai-compatible, base_url: ["{{a.BaseUrl}}", "{{b.BaseUrl}}"], model: gpt-4o, concurrency: 4 }
              judge: { provider: openai-compatible, base_url: "{{a.BaseUrl}}", model: gpt-4o-mini }
            judge: { model: judge }
            evaluation: { targets: [solo, fleet], bootstrap: 10 }
            """
        );
        var pilot = Questions("pilot.jsonl", 6, 0);
        var main = Questions("main.jsonl", 30, 100);

        var p = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--run", "pilot", "--questions", pilot, "--quiet");
        Assert.True(p.ExitCode == 0, p.All);
        var before = a.Count + b.Count;

        var planned = await CliProcess.RunAsync(_dir.Path, "plan", "-c", config, "--run", "main", "--questions", main, "--format", "json");
        Assert.True(planned.ExitCode == 0, planned.All);
        Assert.Equal(before, a.Count + b.Count);
        var plan = JsonNode.Parse(planned.Stdout)!;
        var stage = plan["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "evaluate")!;
        var plannedCalls = stage["calls"]!.GetValue<double>();
        var plannedTokens = stage["input_tokens"]!.GetValue<double>() + stage["output_tokens"]!.GetValue<double>();
        Assert.Equal(30 * 2 * 2, plannedCalls);
        Assert.All(stage["rows"]!.AsArray(), row => Assert.Equal("o200k_base", row!["counting"]!.GetValue<string>()));
        Assert.All(stage["rows"]!.AsArray(), row => Assert.Equal("measured", row!["output_source"]!.GetValue<string>()));

        var r = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--run", "main", "--questions", main, "--quiet");
        Assert.True(r.ExitCode == 0, r.All);
        var actual = AdaemStore.Open(ConfigLoader.Load(config).StorePath).SummarizeCalls("main").Where(c => c.Stage == "evaluate").ToList();
        var calls = actual.Sum(c => c.Calls);
        var tokens = actual.Sum(c => c.InputTokens + c.OutputTokens);
        Log(
            string.Create(
                CultureInfo.InvariantCulture,
                $"evaluate against a loopback server: calls {calls} of {plannedCalls} planned ({calls / plannedCalls - 1:+0.0%;-0.0%}), tokens {tokens} of {plannedTokens:0} planned ({tokens / plannedTokens - 1:+0.0%;-0.0%})"
            )
        );
        Assert.InRange(calls / plannedCalls, 0.9, 1.1);
        Assert.InRange(tokens / plannedTokens, 0.75, 1.25);

        var runs = await CliProcess.RunAsync(_dir.Path, "runs", "-c", config);
        Assert.True(runs.ExitCode == 0, runs.All);
        Assert.Contains("plan against actual", runs.Stdout);
        Assert.Contains(a.BaseUrl.ToString().TrimEnd('/'), runs.Stdout);
        Assert.Contains(b.BaseUrl.ToString().TrimEnd('/'), runs.Stdout);
    }

    [Theory]
    [InlineData("--latency", "0", "the latency must be a positive number of seconds")]
    [InlineData("--format", "yaml", "unknown format 'yaml'")]
    [InlineData("--budget", "300000", "--budget must be between 0")]
    public async Task Bad_plan_options_exit_2_with_a_fix(string option, string value, string message)
    {
        var config = _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              a: { provider: simulated, seed: 1 }
              b: { provider: simulated, seed: 2 }
            judge: { model: a }
            evaluation: { targets: [a, b] }
            """
        );

        var r = await CliProcess.RunAsync(_dir.Path, "plan", "-c", config, option, value);

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains(message, r.Stderr);
        Assert.Contains("Fix:", r.Stderr);
        Assert.False(File.Exists(_dir.File("adaem.db")));
    }
}
