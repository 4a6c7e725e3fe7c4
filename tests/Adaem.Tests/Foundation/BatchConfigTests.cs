using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Models;
using Adaem.Providers.Pricing;
using Adaem.Storage;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Foundation;

/// <summary>The batch keys of a model, the batch prices of the pricing file, and the store's v5 tables.</summary>
public sealed class BatchConfigTests
{
    private static string Config(string model) =>
        $$"""
            models:
              judge: { provider: simulated }
              m:
                {{model.Replace("\n", "\n    ", StringComparison.Ordinal)}}
            judge: { model: judge }
            """;

    private static InputProblem Problem(string model, string contains) => ConfigProblems.Single(Config(model), contains);

    [Fact]
    public void Batch_settings_are_read_with_their_defaults()
    {
        using var dir = new TempDir();
        var c = ConfigLoader.Load(
            dir.Write(
                "adaem.yaml",
                Config("provider: anthropic\nmodel: claude\napi_key_env: K\nbatch: true\nbatch_retry: sync\nbatch_poll_s: 60")
            )
        );
        var b = c.Models["m"].Batch!;
        Assert.Equal(BatchConfig.DefaultMaxRequests, b.MaxRequests);
        Assert.Equal(TimeSpan.FromSeconds(BatchConfig.DefaultWindowSeconds), b.Window);
        Assert.Equal(TimeSpan.FromSeconds(60), b.PollInterval);
        Assert.Equal(BatchConfig.RetrySync, b.Retry);
        Assert.Equal(7, b.Line);
        var plain = ConfigLoader.Load(dir.Write("plain.yaml", Config("provider: openai\nmodel: gpt-4o\napi_key_env: K\nbatch: false")));
        Assert.Null(plain.Models["m"].Batch);
    }

    [Theory]
    [InlineData("ollama", "model: llama3")]
    [InlineData("openai-compatible", "model: qwen\nbase_url: \"http://127.0.0.1:8000/v1\"")]
    [InlineData("simulated", "seed: 1")]
    public void Batch_mode_on_a_provider_without_a_batch_api_is_a_problem_at_its_line(string provider, string rest)
    {
        var p = Problem($"provider: {provider}\n{rest}\nbatch: true", "has no batch API");
        Assert.Equal(5 + rest.Split('\n').Length, p.Line);
        Assert.Contains("openai, azure-openai, anthropic", p.Fix);
    }

    [Fact]
    public void A_batch_key_without_batch_mode_is_a_problem_at_its_line()
    {
        var p = Problem(
            "provider: openai\nmodel: gpt-4o\napi_key_env: K\nbatch_max: 10",
            "'batch_max' of model 'm' applies only in batch mode"
        );
        Assert.Equal(7, p.Line);
    }

    [Theory]
    [InlineData("batch_retry: later", "batch_retry of model 'm' is 'later'")]
    [InlineData("batch_max: 50001", "'models.m.batch_max' = 50001 is out of range")]
    [InlineData("batch_max: 0", "'models.m.batch_max' = 0 is out of range")]
    [InlineData("batch_poll_s: 0", "'models.m.batch_poll_s' = 0 is out of range")]
    public void Bad_batch_values_are_problems_at_their_line(string line, string message)
    {
        var p = Problem($"provider: openai\nmodel: gpt-4o\napi_key_env: K\nbatch: true\n{line}", message);
        Assert.Equal(8, p.Line);
    }

    [Fact]
    public void Anthropic_batches_may_hold_up_to_its_own_limit()
    {
        using var dir = new TempDir();
        var c = ConfigLoader.Load(
            dir.Write("adaem.yaml", Config("provider: anthropic\nmodel: claude\napi_key_env: K\nbatch: true\nbatch_max: 100000"))
        );
        Assert.Equal(100_000, c.Models["m"].Batch!.MaxRequests);
    }

    [Fact]
    public void The_pricing_file_may_give_batch_prices_and_otherwise_a_batch_costs_half()
    {
        var prices = PriceList.Parse(
            """
            listed: { input: 2.0, output: 8.0 }
            given:  { input: 2.0, output: 8.0, batch_input: 1.5, batch_output: 2.5 }
            """,
            "pricing.yaml"
        );

        Assert.Equal((1_000_000 * 1.0 + 1_000_000 * 4.0) / 1e6, prices.Cost("openai", "listed", null, 1_000_000, 1_000_000, batched: true));
        Assert.Equal((1_000_000 * 1.5 + 1_000_000 * 2.5) / 1e6, prices.Cost("openai", "given", null, 1_000_000, 1_000_000, batched: true));
        Assert.Equal(10.0, prices.Cost("openai", "given", null, 1_000_000, 1_000_000));
        Assert.Null(prices.Cost("openai", "unlisted", null, 10, 10, batched: true));
        var e = Assert.Throws<InputException>(() => PriceList.Parse("m: { input: 1, output: 2, batch_input: -1 }", "pricing.yaml"));
        Assert.Contains("batch_input", Assert.Single(e.Problems).Message);
    }

    [Fact]
    public void A_version_4_store_gains_the_batch_tables_and_keeps_its_calls()
    {
        using var dir = new TempDir();
        var path = dir.File("v4.db");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            for (var v = 0; v < 4; v++)
                c.Execute(Schema.Migrations[v]);
            c.Execute("PRAGMA user_version = 4");
            c.Execute(
                """
                INSERT INTO model_calls(key, model, provider, request_json, response_text, latency_ms, created_at)
                VALUES ('k1', 'm', 'openai', '{}', 'kept', 1, '2026-01-01T00:00:00.000Z')
                """
            );
        }
        SqliteConnection.ClearAllPools();

        var store = AdaemStore.Open(path);

        Assert.Equal(Schema.LatestVersion, store.SchemaVersion);
        var kept = store.TryGetCachedCall("k1");
        Assert.Equal("kept", kept!.ResponseText);
        Assert.Null(kept.BatchId);
        Assert.Empty(store.ListBatches(inFlightOnly: false));
    }

    [Fact]
    public void A_stored_batch_is_found_by_its_keys_until_collected_and_then_serves_its_stored_replies()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("adaem.db"));
        store.AddBatch(
            new StoredBatch
            {
                Id = "b1",
                Model = "m",
                Provider = "openai",
                Endpoint = "https://api.example/v1",
                State = "validating",
            },
            ["k1", "k2"]
        );

        Assert.Equal(new BatchMembership("b1", false, null, null, null), store.FindBatchRequest("openai", "https://api.example/v1", "k1"));
        Assert.Null(store.FindBatchRequest("openai", "https://elsewhere/v1", "k1"));
        Assert.Null(store.FindBatchRequest("openai", "https://api.example/v1", "k3"));
        Assert.Equal("b1", Assert.Single(store.ListBatches(inFlightOnly: true)).Id);

        store.UpdateBatch("b1", "in_progress", 2, 0, 0);
        store.CollectBatch(
            "b1",
            "expired",
            [
                new BatchRequestOutcome("k1", BatchResults.Succeeded, null, "{\"reply\":1}"),
                new BatchRequestOutcome("k2", BatchResults.Expired, "expired"),
            ]
        );

        Assert.Empty(store.ListBatches(inFlightOnly: true));
        var b = Assert.Single(store.ListBatches(inFlightOnly: false));
        Assert.Equal(("expired", 1, 1), (b.State, b.Succeeded, b.Failed));
        Assert.NotNull(b.CollectedAt);
        Assert.Equal(
            new BatchMembership("b1", true, BatchResults.Succeeded, null, "{\"reply\":1}"),
            store.FindBatchRequest("openai", "https://api.example/v1", "k1")
        );
        Assert.Equal(BatchResults.Expired, store.FindBatchRequest("openai", "https://api.example/v1", "k2")!.Result);

        // Once the ledger holds k1's answer, its stored reply is dropped.
        Assert.Equal(0, store.PruneBatchReplies());
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "k1",
                Model = "m",
                Provider = "openai",
                RequestJson = "{}",
                ResponseText = "answer",
                BatchId = "b1",
            }
        );
        Assert.Equal(1, store.PruneBatchReplies());
        Assert.Null(store.FindBatchRequest("openai", "https://api.example/v1", "k1")!.ResultJson);
        Assert.Equal("b1", store.TryGetCachedCall("k1")!.BatchId);
    }
}
