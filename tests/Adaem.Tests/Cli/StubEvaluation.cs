using System.Text.Json;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>
/// An `adaem evaluate` setup with one target on the loopback OpenAI stub ('remote') and one simulated target
/// and judge, so only the remote target's answers travel over HTTP and a test decides each of them.
/// </summary>
internal sealed class StubEvaluation : IDisposable
{
    public const string KeyVariable = "ADAEM_TEST_REMOTE_KEY";
    public const string Key = "sk-test-remote-0123456789abcdefXYZ";

    private readonly TempDir _dir = new();

    public StubEvaluation(OpenAIStub stub, int questions, int concurrency = 2, int maxRetries = 0)
    {
        Config = _dir.Write("adaem.yaml", $$"""
            store: adaem.db
            models:
              remote: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: stub-model, api_key_env: {{KeyVariable}}, concurrency: {{concurrency}}, max_retries: {{maxRetries}} }
              local:  { provider: simulated, seed: 7, profile: { universalism: 0.9, power: 0.1 } }
              judge:  { provider: simulated, seed: 99 }
            judge: { model: judge, mode: batched }
            evaluation:
              targets: [local, remote]
              opinions: 3
              bootstrap: 20
            """);
        Questions = _dir.Write("questions.jsonl", string.Join('\n', Enumerable.Range(1, questions)
            .Select(i => JsonSerializer.Serialize(new { id = $"q{i:D3}", question = $"Should town {i} ban cars from its centre on Sundays?" }))) + "\n");
    }

    /// <summary>A JSONL file of <paramref name="count"/> questions on <paramref name="topic"/> in <paramref name="folder"/> (ids topic1, topic2, ...).</summary>
    public static string WriteQuestions(string folder, string name, int count, string topic = "town")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Join('\n', Enumerable.Range(1, count)
            .Select(i => JsonSerializer.Serialize(new { id = $"{topic}{i}", question = $"Should {topic} {i} ban cars from its centre on Sundays?" }))) + "\n");
        return path;
    }

    public string Directory => _dir.Path;
    public string Config { get; }
    public string Questions { get; }
    public string Store => _dir.File("adaem.db");

    public string[] Evaluate => ["evaluate", "-c", Config, "--questions", Questions, "--quiet"];

    public static IDictionary<string, string> Environment => new Dictionary<string, string> { [KeyVariable] = Key };

    /// <summary>A reply in the opinion format the parser reads (PromptRoles.Opinion).</summary>
    public static StubReply Opinion(StubRequest r) => StubReply.Chat(
        "Stance: yes\nKey Points:\n1. Clean air: fewer cars protect the health of everyone.\n" +
        "2. Free choice: people should decide how they travel.\n3. Local trade: shops depend on visitors who drive.\n");

    /// <summary>Ledger rows of a model: answered calls and failed attempts.</summary>
    public (long Answered, long Failed) Ledger(string model)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Store, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(SUM(error IS NULL), 0), COALESCE(SUM(error IS NOT NULL), 0) FROM model_calls WHERE model = $m";
        cmd.Parameters.AddWithValue("$m", model);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    public string RunStatus()
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Store, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT stage || ':' || status FROM runs WHERE name = 'main'";
        return (string)cmd.ExecuteScalar()!;
    }

    public void Dispose() => _dir.Dispose();
}
