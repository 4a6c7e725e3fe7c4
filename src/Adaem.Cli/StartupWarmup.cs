using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using OpenAI;
using Spectre.Console;
using YamlDotNet.RepresentationModel;

namespace Adaem.Cli;

/// <summary>
/// Pays the first-use costs of the libraries a stage command goes through (loading and initialising their
/// code: YAML's compiled patterns, the system's SHA-256, SQLite's native library and Dapper's emitted readers,
/// the console's width tables, the OpenAI client's request and reply, the prompts and parsers of an evaluation's
/// first answers: <see cref="EvaluationWarmup"/>) on another core while the main thread parses the command line and
/// reads the config, in the order the main thread will need them. The built-in English prompts it reads are the
/// ones the stage then uses. Every step works on its own small inputs: nothing here reads the user's files,
/// writes, prints or connects, and a step that fails is skipped (the main thread does the real work anyway).
/// </summary>
internal static class StartupWarmup
{
    /// <summary>The commands that open a study and ask models: the ones worth warming up for.</summary>
    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal) { "evaluate", "generate", "run", "validate" };

    /// <summary>Starts the warm-up on a background thread when <paramref name="args"/> name a stage command.</summary>
    public static void StartFor(string[] args)
    {
        if (args.Length == 0 || !Commands.Contains(args[0]) || args.Contains("--help") || args.Contains("-h"))
            return;
        new Thread(() => Run())
        {
            IsBackground = true,
            Name = "adaem start-up warm-up",
            Priority = ThreadPriority.BelowNormal,
        }.Start();
    }

    /// <summary>Runs every step in turn; returns what the steps that failed threw (nothing, unless a library changed under us).</summary>
    internal static IReadOnlyList<Exception> Run()
    {
        var failed = new List<Exception>();
        void Step(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                // A warm-up that fails changes nothing: the main thread meets the same code and reports its own errors.
                failed.Add(e);
            }
        }
        Step(() => new YamlStream().Load(new StringReader("warm: [up, 1]\n")));
        Step(() => _ = System.Security.Cryptography.SHA256.HashData("warm-up"u8));
        Step(() => _ = new Uri("http://127.0.0.1:9/v1"));
        Step(Store);
        Step(() => JsonDocument.Parse("""{"id":"q1","question":"warm-up?"}""").Dispose());
        Step(ConsoleOutput);
        Step(EvaluationWarmup.Requests);
        Step(Chat);
        Step(EvaluationWarmup.Replies);
        return failed;
    }

    /// <summary>SQLite and Dapper on a database in memory: a pragma, and a query with a parameter and a row to read.</summary>
    private static void Store()
    {
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        c.Execute("PRAGMA foreign_keys = ON;");
        _ = c.ExecuteScalar<int>("PRAGMA user_version");
        _ = c.QuerySingleOrDefault<WarmRow>("SELECT @name AS name, 1 AS n", new { name = "warm-up" });
    }

    /// <summary>A console like <see cref="Output.Console"/>'s, writing to nowhere.</summary>
    private static void ConsoleOutput()
    {
        var console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(TextWriter.Null),
            }
        );
        console.Profile.Width = 240;
        console.WriteLine("warm-up: 4 questions × 2 targets");
    }

    /// <summary>
    /// Two chat calls through an OpenAI-compatible client as the provider factory builds one, whose HTTP handler
    /// answers in-process (no connection is made): an opinion prompt, and the batched judge's with its response
    /// schema. Each request is written and each reply read and parsed as a real call's would be, so a stage's
    /// first calls, and the replies to them, find this code ready.
    /// </summary>
    private static void Chat()
    {
        using var http = new HttpClient(new CannedReply());
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(http),
        };
        var chat = new OpenAIClient(new ApiKeyCredential("warm-up"), options).GetChatClient("warm-up").AsIChatClient();
        EvaluationWarmup.Chat(chat);
    }

    /// <summary>
    /// Reads the request (so the client writes it whole) and answers with a chat completion: the judge's labels when
    /// the request asks for a response schema, else an answer with a stance and three key points.
    /// </summary>
    private sealed class CannedReply : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is { } content ? await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false) : "";
            var judge = body.Contains("\"response_format\"", StringComparison.Ordinal);
            var text = judge ? EvaluationWarmup.JudgeReply : EvaluationWarmup.OpinionReply;
            var completion = new JsonObject
            {
                ["id"] = "warm-up",
                ["object"] = "chat.completion",
                ["created"] = 1700000000,
                ["model"] = "warm-up",
                ["choices"] = new JsonArray(
                    new JsonObject
                    {
                        ["index"] = 0,
                        ["finish_reason"] = "stop",
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                    }
                ),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = 10,
                    ["completion_tokens"] = 5,
                    ["total_tokens"] = 15,
                },
            };
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(completion.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
        }
    }

    private sealed record WarmRow(string Name, long N);
}
