using System.Text;
using System.Text.Json;
using Adaem.Storage;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>The engine in a real `adaem` process: killed mid-batch and resumed, and keeping secrets out of everything it writes.</summary>
public sealed class CallBatchProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Prompt(int i) => $"Batch item {i}: answer in one short sentence.";

    private static async Task<string> WriteConfig(string dir, OpenAIStub stub, string extra = "")
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "adaem.yaml");
        await File.WriteAllTextAsync(
            path,
            $$"""
            store: adaem.db
            models:
              stub: { provider: openai-compatible, base_url: "{{stub.BaseUrl}}", model: stub-model, concurrency: 8, max_retries: 0{{extra}} }
            """,
            Ct
        );
        return path;
    }

    private static string[] Batch(string config, string outFile, int count) =>
        [
            "call-batch",
            "-c",
            config,
            "--model",
            "stub",
            "--count",
            count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out",
            outFile,
            "--parallel",
            "16",
        ];

    [Fact]
    public async Task A_batch_killed_hard_and_rerun_asks_no_finished_call_again_and_ends_as_an_uninterrupted_run()
    {
        const int n = 40,
            answeredBeforeKill = 12,
            concurrency = 8;
        await using var stub = await OpenAIStub.StartAsync(Ct);
        var root = Directory.CreateTempSubdirectory("adaem-kill-").FullName;
        try
        {
            var config = await WriteConfig(Path.Combine(root, "interrupted"), stub);
            var outFile = Path.Combine(root, "interrupted", "answers.jsonl");

            // Phase 1: the first 12 requests are answered, later ones are held until the process dies.
            var held = new TaskCompletionSource();
            stub.Script = r => r.Number <= answeredBeforeKill ? OpenAIStub.Default(r) : OpenAIStub.Default(r) with { Gate = held.Task };
            using (var child = AdaemProcess.Start(Batch(config, outFile, n)))
            {
                // All 8 slots busy with held requests means every answered call has left the provider.
                var seen = stub.WaitForRequestsAsync(answeredBeforeKill + concurrency, Ct);
                var exited = child.Process.WaitForExitAsync(Ct);
                Assert.Same(seen, await Task.WhenAny(seen, exited));
                child.Process.Kill(entireProcessTree: true);
                await child.Process.WaitForExitAsync(Ct);
            }
            var requestsAtKill = stub.Count;
            held.SetResult();
            Assert.False(File.Exists(outFile));

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var finished = AdaemStore
                .Open(Path.Combine(root, "interrupted", "adaem.db"))
                .ListCalls()
                .Where(c => c.Error is null)
                .Select(c => JsonDocument.Parse(c.RequestJson).RootElement.GetProperty("messages")[0].GetProperty("text").GetString()!)
                .ToHashSet();
            Assert.InRange(finished.Count, 1, answeredBeforeKill);

            // Phase 2: rerun to the end with a well-behaved stub.
            stub.Script = OpenAIStub.Default;
            var rerun = await AdaemProcess.RunAsync(Batch(config, outFile, n), null, Ct);
            Assert.True(rerun.ExitCode == 0, rerun.Stderr);

            foreach (var p in finished)
                Assert.Equal(1, stub.CountOf(p));
            for (var i = 0; i < n; i++)
                Assert.InRange(stub.CountOf(Prompt(i)), 1, 2);
            Assert.Equal(n - finished.Count, stub.Count - requestsAtKill);
            Assert.Contains($"cache hits {finished.Count}, calls {n - finished.Count}", rerun.Stdout);

            // The same batch without interruption, in a fresh store, gives the same answers.
            var cleanConfig = await WriteConfig(Path.Combine(root, "clean"), stub);
            var cleanOut = Path.Combine(root, "clean", "answers.jsonl");
            var clean = await AdaemProcess.RunAsync(Batch(cleanConfig, cleanOut, n), null, Ct);
            Assert.True(clean.ExitCode == 0, clean.Stderr);
            var expected = await File.ReadAllTextAsync(cleanOut, Ct);
            Assert.Equal(n, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(expected, await File.ReadAllTextAsync(outFile, Ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_planted_key_appears_nowhere_the_run_writes_even_when_providers_echo_it_in_errors()
    {
        var key = "sk-planted-" + Guid.NewGuid().ToString("N");
        await using var stub = await OpenAIStub.StartAsync(Ct);
        // Providers echo credentials in error bodies; ours do it verbatim, in every shape.
        stub.Script = r =>
            r.Prompt switch
            {
                var p when p == Prompt(2) => StubReply.Error(401, $"Incorrect API key provided: {r.Authorization}", "invalid_api_key"),
                var p when p == Prompt(4) => StubReply.Error(
                    500,
                    $"upstream rejected headers {{\"Authorization\": \"{r.Authorization}\"}}"
                ),
                var p when p == Prompt(6) => StubReply.Error(
                    400,
                    $"bad request for key={key.Replace("sk-", "", StringComparison.Ordinal)}"
                ),
                _ => OpenAIStub.Default(r),
            };
        var root = Directory.CreateTempSubdirectory("adaem-secret-").FullName;
        try
        {
            var config = await WriteConfig(root, stub, ", api_key_env: ADAEM_PLANTED_KEY");
            var env = new Dictionary<string, string> { ["ADAEM_PLANTED_KEY"] = key };

            var batch = await AdaemProcess.RunAsync(Batch(config, Path.Combine(root, "out", "answers.jsonl"), 8), env, Ct);
            var runs = await AdaemProcess.RunAsync(["runs", "-c", config], env, Ct);

            Assert.Equal(1, batch.ExitCode); // three items failed; the other five were answered
            Assert.Contains("answered 5, failed 3", batch.Stdout);
            Assert.Equal(0, runs.ExitCode);
            Assert.Contains("stub", runs.Stdout);
            // The key was really used, and really echoed back, so the scrubbing below is what kept it out.
            Assert.Contains(stub.Requests, r => r.Authorization == "Bearer " + key);
            Assert.Contains("[redacted]", batch.Stderr);
            var tails = new[] { key, key["sk-".Length..] };
            foreach (var secret in tails)
            {
                Assert.DoesNotContain(secret, batch.Stdout + batch.Stderr + runs.Stdout + runs.Stderr);
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                {
                    var bytes = await File.ReadAllBytesAsync(file, Ct);
                    Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"{file} holds the key");
                }
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var errors = AdaemStore.Open(Path.Combine(root, "adaem.db")).ListCalls().Where(c => c.Error is not null).ToList();
            Assert.Equal(3, errors.Count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
