using System.Text;
using System.Text.Json;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// Bad input stops the real CLI with exit 2, the file and line of the problem and a fix, before any model
/// is asked (a loopback stub target counts every request): bytes that are not UTF-8, question fields that
/// are not text, questions too long, YAML tabs, files the config names but that are not there, and option
/// values of the wrong type.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A config whose target 'remote' is the stub (so any call shows) plus simulated models; <paramref name="extra"/> is
    /// appended.</summary>
    private string Config(OpenAIStub stub, string remoteModel = "stub-model", string evaluation = "", string extra = "") =>
        _dir.Write(
            "adaem.yaml",
            $$"""
            store: adaem.db
            models:
              remote: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: {{remoteModel}} }
              local:  { provider: simulated, seed: 7 }
              other:  { provider: simulated, seed: 8 }
              e1:     { provider: simulated, seed: 11 }
              e2:     { provider: simulated, seed: 12 }
              judge:  { provider: simulated, seed: 99 }
            judge: { model: judge }
            generation: { explorers: [e1, e2], scorers: [e1, e2], budget: 2, max_arms: 2 }
            evaluation:
              targets: [local, remote]
              bootstrap: 10
            {{evaluation}}
            {{extra}}
            """
        );

    private static string Line(int i, string text) => JsonSerializer.Serialize(new { id = $"q{i}", question = text });

    private string Questions(params string[] lines) => _dir.Write("questions.jsonl", string.Join('\n', lines) + "\n");

    private Task<CliResult> Evaluate(string config, string questions) =>
        CliProcess.RunAsync(_dir.Path, "evaluate", "-c", config, "--questions", questions, "--quiet");

    private static void AssertBadInput(CliResult r, string where, string what)
    {
        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"{where}: ", r.Stderr);
        Assert.Contains(what, r.Stderr);
        Assert.Contains("Fix:", r.Stderr);
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_in_the_config_stop_at_their_line_and_never_reach_the_provider()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var config = Config(stub, remoteModel: "caf\u00e9-model");
        var bytes = File.ReadAllBytes(config);
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("\u00e9"));
        File.WriteAllBytes(config, [.. bytes[..at], 0xE9, .. bytes[(at + 2)..]]); // Latin-1 é: one byte that is not UTF-8
        var questions = Questions(Line(1, "Should cities ban cars on Sundays?"));

        var r = await Evaluate(config, questions);

        AssertBadInput(r, $"{config}:3", "the byte 0xE9");
        Assert.Contains("not valid UTF-8", r.Stderr);
        Assert.Equal(0, stub.Count);
    }

    [Theory]
    [InlineData("questions.jsonl")]
    [InlineData("questions.csv")]
    public async Task Bytes_that_are_not_UTF8_in_a_question_file_stop_at_their_line(string name)
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var config = Config(stub);
        var lines = name.EndsWith(".csv", StringComparison.Ordinal)
            ? new[] { "id,question", "q1,Should cities ban cars on Sundays?", "q2,Should caf\u00e9s close at ten?" }
            : [Line(1, "Should cities ban cars on Sundays?"), "{\"id\": \"q2\", \"question\": \"Should caf\u00e9s close at ten?\"}"];
        var text = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        var at = text.AsSpan().IndexOf(Encoding.UTF8.GetBytes("\u00e9"));
        var path = _dir.File(name);
        File.WriteAllBytes(path, [.. text[..at], 0xE9, .. text[(at + 2)..]]);

        var r = await Evaluate(config, path);

        AssertBadInput(r, $"{path}:{lines.Length}", "not valid UTF-8");
        Assert.Equal(0, stub.Count);
    }

    [Theory]
    [InlineData("""{"id": "q2", "question": 5}""", "question must be a string, not a number")]
    [InlineData("""{"id": 7, "question": "Should zoos exist?"}""", "id must be a string, not a number")]
    [InlineData("""{"question": "Should zoos exist?", "argument": {"text": "x"}}""", "argument must be a string, not an object")]
    [InlineData("""{"question": "Should zoos exist?", "category": ["a", "b"]}""", "category must be a string, not a list")]
    [InlineData("""{"question": ["Should zoos exist?"]}""", "question must be a string, not a list")]
    public async Task Question_fields_that_are_not_text_are_refused_at_their_line(string record, string message)
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var config = Config(stub);
        var questions = Questions(Line(1, "Should cities ban cars on Sundays?"), record);

        var r = await Evaluate(config, questions);

        AssertBadInput(r, $"{questions}:2", message);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public async Task A_long_question_is_evaluated_with_a_warning_naming_its_line_and_a_runaway_one_is_refused()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var config = _dir.Write(
            "sim.yaml",
            """
            store: sim.db
            models:
              a: { provider: simulated, seed: 1 }
              b: { provider: simulated, seed: 2 }
              judge: { provider: simulated, seed: 99 }
            judge: { model: judge }
            evaluation: { targets: [a, b], bootstrap: 10 }
            """
        );
        var longText =
            "Should cities ban cars on Sundays, "
            + string.Concat(Enumerable.Repeat("even in the old town and near the market, ", 60))
            + "?";
        Assert.InRange(longText.Length, 2_001, 19_999);
        var warned = await Evaluate(
            config,
            Questions(Line(1, "Should zoos exist?"), Line(2, longText), Line(3, "Should schools start later?"))
        );

        Assert.True(warned.ExitCode == 0, warned.All);
        Assert.Contains(
            $"warning: {_dir.File("questions.jsonl")}:2: this question has {longText.Length:N0} characters, above evaluation.question_warn_chars (2,000)",
            warned.Stderr
        );

        var runaway = new string('x', 25_000) + "?";
        var refused = await Evaluate(Config(stub), Questions(Line(1, "Should zoos exist?"), Line(2, runaway)));
        AssertBadInput(
            refused,
            $"{_dir.File("questions.jsonl")}:2",
            "this question has 25,001 characters, above the limit of 20,000 (evaluation.question_max_chars)"
        );
        Assert.Equal(0, stub.Count);

        // The limit is the config's: evaluation.question_max_chars.
        var strict = await Evaluate(
            Config(stub, evaluation: "  question_warn_chars: 20\n  question_max_chars: 30"),
            Questions(Line(1, "Should zoos exist?"), Line(2, "Should every city ban all cars from its centre?"))
        );
        AssertBadInput(strict, $"{_dir.File("questions.jsonl")}:2", "above the limit of 30");
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public async Task Question_limits_in_the_config_are_checked()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var config = Config(stub, evaluation: "  question_warn_chars: 5000\n  question_max_chars: 1000");

        var r = await CliProcess.RunAsync(_dir.Path, "runs", "-c", config);

        AssertBadInput(r, $"{config}:14", "evaluation.question_warn_chars (5,000) is above evaluation.question_max_chars (1,000)");
    }

    [Fact]
    public async Task A_tab_in_the_indentation_is_reported_at_its_own_line()
    {
        var config = _dir.Write(
            "adaem.yaml",
            "store: adaem.db\nmodels:\n  a: { provider: simulated }\n  b: { provider: simulated }\njudge: { model: a }\nevaluation:\n\ttargets: [a, b]\n"
        );

        var r = await CliProcess.RunAsync(_dir.Path, "runs", "-c", config);

        AssertBadInput(r, $"{config}:7", "indented with a tab");
    }

    [Fact]
    public async Task A_theory_pricing_or_seeds_file_that_is_not_there_is_reported_at_the_config_line_that_names_it()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var missing = Config(stub, extra: "theory: my-theory.yaml\npricing: prices.yaml");
        var r = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", missing, "--questions", Questions(Line(1, "Should zoos exist?")));

        AssertBadInput(r, $"{missing}:15", "theory 'my-theory.yaml' is neither built in nor a file");
        Assert.Contains($"{missing}:16: pricing file 'prices.yaml' is not there", r.Stderr);

        var seeds = _dir.Write(
            "adaem.yaml",
            File.ReadAllText(missing)
                .Replace("theory: my-theory.yaml\npricing: prices.yaml", "")
                .Replace("budget: 2, max_arms: 2 }", "budget: 2, max_arms: 2,\n  seeds: my-seeds.jsonl }")
        );
        var g = await CliProcess.RunAsync(_dir.Path, "generate", "-c", seeds, "--quiet");

        AssertBadInput(g, $"{seeds}:11", "generation.seeds names 'my-seeds.jsonl', which is not a file");
        Assert.Equal(0, stub.Count);
    }

    [Theory]
    [InlineData("generate", "--budget", "lots", "a whole number")]
    [InlineData("validate reliability", "--seed", "x1", "a whole number")]
    [InlineData("report", "--permutations", "many", "a whole number")]
    public async Task An_option_value_of_the_wrong_type_names_the_option_and_what_it_takes(
        string command,
        string option,
        string value,
        string takes
    )
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var config = Config(stub);

        var r = await CliProcess.RunAsync(_dir.Path, [.. command.Split(' '), "-c", config, option, value]);

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"error: option '{option}' takes {takes}, not '{value}'. Fix: write e.g. {option} ", r.Stderr);
        Assert.DoesNotContain("System.", r.All);
    }
}
