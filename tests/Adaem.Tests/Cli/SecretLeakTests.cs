using System.Text;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// Keys never reach the store, the run's files or the console, not even in part: a key written into the
/// base_url's query (as some gateways require) and a key from api_key_env that a server echoes back in part.
/// Real `adaem evaluate` processes against the loopback stub; the store's bytes are read from disk.
/// </summary>
public sealed class SecretLeakTests : IDisposable
{
    // Neither looks like an OpenAI key ("sk-..."), so only adaem's knowledge of the configured secrets can hide them.
    private const string QueryKey = "gw7Qx2Lm9Vb4Nc8Zt1Rp6Yk3Hs5Df0Aj";
    private const string EnvKey = "zq9Xc4Vb7Nm2Lk5Jh8Gf3Ds6Aa1Pw0Ee";
    private const string EnvVariable = "ADAEM_TEST_LEAK_KEY";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_key_in_the_base_url_query_reaches_the_server_but_no_fragment_of_it_is_stored_or_printed()
    {
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        // The first attempt at each prompt fails with a body that quotes the URL it was sent to, as proxies do.
        stub.Script = r =>
            r.PromptCount == 1 ? StubReply.Error(500, $"upstream failed for POST {r.Path}{r.Query}") : StubEvaluation.Opinion(r);
        var config = WriteConfig($"base_url: \"{stub.BaseUrl}?api-key={QueryKey}&region=eu\", max_retries: 1");

        var r = await CliProcess.RunAsync(_dir.Path, Evaluate(config));
        var runs = await CliProcess.RunAsync(_dir.Path, "runs", "-c", config);

        Assert.True(r.ExitCode == 0, r.All);
        Assert.NotEmpty(stub.Requests);
        Assert.All(stub.Requests, q => Assert.Contains($"api-key={QueryKey}", q.Query)); // the request still carries its key
        Assert.Contains(stub.Requests, q => q.PromptCount == 1); // and failures quoting it happened
        AssertNoFragment(QueryKey, r.All + runs.All, except: config);
    }

    [Fact]
    public async Task A_server_echoing_the_last_12_characters_of_the_key_has_them_scrubbed_from_store_and_output()
    {
        var tail = EnvKey[^12..];
        var env = new Dictionary<string, string> { [EnvVariable] = EnvKey };
        await using var stub = await OpenAIStub.StartAsync(TestContext.Current.CancellationToken);
        stub.Script = _ =>
            StubReply.Error(
                401,
                $"Incorrect API key provided: ...{tail}. You can find your API key at https://example.invalid/keys.",
                "invalid_api_key"
            );
        var config = WriteConfig($"base_url: \"{stub.BaseUrl}\", api_key_env: {EnvVariable}, max_retries: 1");

        var refused = await CliProcess.RunAsync(_dir.Path, env, Evaluate(config));

        Assert.True(refused.ExitCode == 1, refused.All);
        Assert.Contains("Incorrect API key provided: ...[redacted]", refused.Stderr);
        Assert.All(stub.Requests, q => Assert.Equal($"Bearer {EnvKey}", q.Authorization));

        // The same echo in retried server errors, then answers: the run finishes with the echoes in its ledger.
        stub.Script = q => q.PromptCount == 1 ? StubReply.Error(500, $"backend rejected credential ...{tail}") : StubEvaluation.Opinion(q);
        var resumed = await CliProcess.RunAsync(_dir.Path, env, Evaluate(config));
        var runs = await CliProcess.RunAsync(_dir.Path, env, "runs", "-c", config);

        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.True(StoreErrors() >= 2, "the failed attempts are in the ledger");
        AssertNoFragment(EnvKey, refused.All + resumed.All + runs.All, except: null);
    }

    private string WriteConfig(string remote)
    {
        var questions = _dir.Write("questions.jsonl", StubEvaluation.QuestionLines(3, i => $"q{i}"));
        Assert.True(File.Exists(questions));
        return TestConfig.StubEvaluation($"{{ provider: openai-compatible, model: stub-model, concurrency: 1, {remote} }}").WriteTo(_dir);
    }

    private string[] Evaluate(string config) => ["evaluate", "-c", config, "--questions", _dir.File("questions.jsonl"), "--quiet"];

    private long StoreErrors()
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.File("adaem.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM model_calls WHERE error IS NOT NULL";
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// No 8-character piece of <paramref name="key"/> in the output, nor in the bytes of any file the run wrote (store, WAL, out/).
    /// </summary>
    private void AssertNoFragment(string key, string output, string? except)
    {
        var files = Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Where(f => f != except).ToList();
        Assert.Contains(files, f => f.EndsWith("adaem.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("responses.jsonl", StringComparison.Ordinal));
        for (var i = 0; i + 8 <= key.Length; i++)
        {
            var fragment = key.Substring(i, 8);
            Assert.False(output.Contains(fragment, StringComparison.Ordinal), $"output contains '{fragment}':\n{output}");
            var bytes = Encoding.UTF8.GetBytes(fragment);
            foreach (var f in files)
                Assert.False(File.ReadAllBytes(f).AsSpan().IndexOf(bytes) >= 0, $"{f} contains '{fragment}'");
        }
    }
}
