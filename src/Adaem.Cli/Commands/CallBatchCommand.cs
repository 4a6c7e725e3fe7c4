using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Providers;
using Adaem.RunFiles;
using Adaem.Storage;
using Microsoft.Extensions.AI;

namespace Adaem.Cli.Commands;

/// <summary>
/// Hidden diagnostic: sends N distinct prompts to one model through the call engine, in parallel, and
/// writes the answers (JSONL, by index) when all are done. Tests kill it mid-batch and run it again to
/// prove that finished calls are never asked twice; it is also a quick way to smoke-test a provider.
/// </summary>
internal static class CallBatchCommand
{
    public const string Stage = "call-batch";
    public const string Role = "batch_probe";

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var model = new Option<string>("--model") { Required = true, Description = "Local name of the model to call" };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 100, Description = "Number of distinct prompts" };
        var run = new Option<string>("--run") { DefaultValueFactory = _ => "call-batch", Description = "Run name for the ledger" };
        var output = new Option<string?>("--out") { Description = "JSONL file for the answers" };
        var parallel = new Option<int>("--parallel") { DefaultValueFactory = _ => 16, Description = "Prompts in flight at once" };
        var cmd = new Command("call-batch", "diagnostic: send N prompts to one model through the call engine")
        {
            config,
            model,
            count,
            run,
            output,
            parallel,
        };
        cmd.Hidden = true;
        cmd.SetAction(
            async (parse, ct) =>
            {
                var cfg = ConfigLoader.Load(parse.GetValue(config)!);
                var modelName = parse.GetValue(model)!;
                var runName = parse.GetValue(run)!;
                var n = parse.GetValue(count);
                ConfigLoader.RequireSecrets(cfg, [modelName]);
                var store = AdaemStore.Open(cfg.StorePath);
                store.EnsureRun(runName, cfg.Hash);
                using var pool = ModelPool.Open(cfg, store);
                var chat = pool.Chat(modelName);
                var answers = new ConcurrentDictionary<int, JsonObject>();
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, n),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parse.GetValue(parallel)), CancellationToken = ct },
                    async (i, token) =>
                    {
                        var context = new CallContext(runName, Stage, Role, "v1", 0);
                        List<ChatMessage> prompt =
                        [
                            new(ChatRole.User, $"Batch item {i.ToString(CultureInfo.InvariantCulture)}: answer in one short sentence."),
                        ];
                        try
                        {
                            var reply = await chat.GetResponseAsync(prompt, context.Apply(), token);
                            answers[i] = new JsonObject
                            {
                                ["index"] = i,
                                ["ok"] = true,
                                ["text"] = reply.Text,
                            };
                        }
                        catch (ModelCallException e)
                        {
                            // One item failed; the batch goes on. Only the failure kind goes to the file, so it is reproducible.
                            answers[i] = new JsonObject
                            {
                                ["index"] = i,
                                ["ok"] = false,
                                ["error"] = e.Failure.ToString(),
                            };
                            await Console.Error.WriteLineAsync($"item {i.ToString(CultureInfo.InvariantCulture)} failed: {e.Message}");
                        }
                    }
                );
                if (parse.GetValue(output) is { } path)
                {
                    var text = new StringBuilder();
                    foreach (var (_, line) in answers.OrderBy(a => a.Key))
                        text.Append(line.ToJsonString()).Append('\n');
                    AtomicFile.WriteText(Path.GetFullPath(path), text.ToString());
                }
                var total = pool.Counters.Total(Stage);
                Console.WriteLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"items {n}, answered {answers.Values.Count(a => (bool)a["ok"]!)}, failed {answers.Values.Count(a => !(bool)a["ok"]!)}, cache hits {total.CacheHits}, calls {total.Calls}"
                    )
                );
                return answers.Values.All(a => (bool)a["ok"]!) ? ErrorReporter.Ok : ErrorReporter.Failed;
            }
        );
        return cmd;
    }
}
