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
        var remote = TestConfig.OnStub(stub.BaseUrl, KeyVariable, $"concurrency: {concurrency}, max_retries: {maxRetries}");
        Config = TestConfig.StubEvaluation(remote).WriteTo(_dir);
        Questions = _dir.Write("questions.jsonl", QuestionLines(questions, i => $"q{i:D3}"));
    }

    /// <summary>
    /// A JSONL file of <paramref name="count"/> questions on <paramref name="topic"/> in <paramref name="folder"/>
    /// (ids topic1, topic2, ...).
    /// </summary>
    public static string WriteQuestions(string folder, string name, int count, string topic = "town")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, QuestionLines(count, i => $"{topic}{i}", topic));
        return path;
    }

    /// <summary>
    /// The JSONL lines of <paramref name="count"/> questions "Should TOPIC i ban cars from its centre on Sundays?"
    /// (<paramref name="suffix"/> after the question mark), with the ids <paramref name="id"/> gives.
    /// </summary>
    public static string QuestionLines(int count, Func<int, string> id, string topic = "town", string suffix = "") =>
        string.Join(
            '\n',
            Enumerable
                .Range(1, count)
                .Select(i =>
                    JsonSerializer.Serialize(
                        new { id = id(i), question = $"Should {topic} {i} ban cars from its centre on Sundays?{suffix}" }
                    )
                )
        ) + "\n";

    public string Directory => _dir.Path;
    public string Config { get; }
    public string Questions { get; }
    public string Store => _dir.File("adaem.db");

    public string[] Evaluate => ["evaluate", "-c", Config, "--questions", Questions, "--quiet"];

    public static IDictionary<string, string> Environment => new Dictionary<string, string> { [KeyVariable] = Key };

    /// <summary>A reply in the opinion format the parser reads (PromptRoles.Opinion): a stance and three key points.</summary>
    public const string OpinionText =
        "Stance: yes\nKey Points:\n1. Clean air: fewer cars protect the health of everyone.\n"
        + "2. Free choice: people should decide how they travel.\n3. Local trade: shops depend on visitors who drive.\n";

    /// <summary><see cref="OpinionText"/> as the stub's reply.</summary>
    public static StubReply Opinion(StubRequest r) => StubReply.Chat(OpinionText);

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
