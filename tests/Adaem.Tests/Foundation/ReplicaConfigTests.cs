using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Foundation;

/// <summary>base_url as a list of replicas: how it reads, and each mistake in it stopping at its own line with exit 2.</summary>
public sealed class ReplicaConfigTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Yaml(string baseUrl) =>
        $"""
            store: adaem.db
            models:
              fleet:
                provider: openai-compatible
                model: qwen
            {baseUrl}
              judge: {"{"} provider: simulated {"}"}
            judge: {"{"} model: judge {"}"}
            """;

    private InputProblem Problem(string baseUrl, string contains)
    {
        var path = _dir.Write("adaem.yaml", Yaml(baseUrl));
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        var p = Assert.Single(e.Problems);
        Assert.Contains(contains, p.Message);
        Assert.False(string.IsNullOrWhiteSpace(p.Fix));
        return p;
    }

    [Fact]
    public void A_list_reads_as_replicas_in_order_and_a_string_as_one_endpoint()
    {
        var list = ConfigLoader
            .Load(
                _dir.Write(
                    "a.yaml",
                    Yaml(
                        """
                            base_url:
                              - "http://10.0.0.1:8000/v1"
                              - "http://10.0.0.2:8000/v1"
                        """
                    )
                )
            )
            .Models["fleet"];
        Assert.Equal(["http://10.0.0.1:8000/v1", "http://10.0.0.2:8000/v1"], list.BaseUrls);
        Assert.Equal("http://10.0.0.1:8000/v1", list.BaseUrl);
        Assert.True(list.Replicated);

        var one = ConfigLoader.Load(_dir.Write("b.yaml", Yaml("""    base_url: "http://10.0.0.1:8000/v1" """))).Models["fleet"];
        Assert.Equal(["http://10.0.0.1:8000/v1"], one.BaseUrls);
        Assert.False(one.Replicated);
    }

    [Fact]
    public void An_empty_list_stops_at_its_line()
    {
        var p = Problem("    base_url: []", "base_url of model 'fleet' is an empty list");
        Assert.Equal(6, p.Line);
    }

    [Fact]
    public void A_bad_url_in_the_list_stops_at_its_own_line_without_quoting_it()
    {
        var p = Problem(
            """
                base_url:
                  - "http://10.0.0.1:8000/v1"
                  - "10.0.0.2:8000/v1?key=hunter2hunter2"
            """,
            "base_url 2 of model 'fleet' is not an absolute http(s) URL"
        );
        Assert.Equal(8, p.Line);
        Assert.DoesNotContain("hunter2", p.Message + p.Fix);
    }

    [Fact]
    public void A_server_listed_twice_stops_at_the_second()
    {
        var p = Problem(
            """    base_url: ["http://10.0.0.1:8000/v1", "http://10.0.0.1:8000/v1/"]""",
            "base_url 2 of model 'fleet' repeats a server"
        );
        Assert.Equal(6, p.Line);
    }

    [Fact]
    public void Replicas_and_batch_mode_do_not_go_together()
    {
        var path = _dir.Write(
            "adaem.yaml",
            """
            store: adaem.db
            models:
              fleet: { provider: openai, model: gpt-4o, api_key_env: K, batch: true, base_url: ["http://10.0.0.1/v1", "http://10.0.0.2/v1"] }
            """
        );
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        var p = Assert.Single(e.Problems);
        Assert.Contains("lists 2 servers in base_url and batch: true", p.Message);
        Assert.Equal(3, p.Line);
    }

    [Theory]
    [InlineData("    base_url: []", 6, "is an empty list")]
    [InlineData(
        "    base_url:\n      - \"http://10.0.0.1:8000/v1\"\n      - \"ftp://10.0.0.2/v1\"",
        8,
        "base_url 2 of model 'fleet' is not an absolute http(s) URL"
    )]
    public async Task The_CLI_exits_2_at_the_line_before_any_call(string baseUrl, int line, string message)
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        var path = _dir.Write(
            "adaem.yaml",
            Yaml(baseUrl.Replace("http://10.0.0.1:8000/v1", stub.BaseUrl.ToString(), StringComparison.Ordinal))
        );

        var r = await CliProcess.RunAsync(_dir.Path, "evaluate", "-c", path, "--quiet");

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"{path}:{line}: ", r.Stderr);
        Assert.Contains(message, r.Stderr);
        Assert.Contains("Fix:", r.Stderr);
        Assert.Equal(0, stub.Count);
    }
}
