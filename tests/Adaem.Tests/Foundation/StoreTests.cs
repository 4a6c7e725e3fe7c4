using System.Diagnostics;
using Adaem.Core.Generation;
using Adaem.Storage;
using Adaem.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Foundation;

public class StoreTests
{
    [Fact]
    public void A_new_store_is_at_the_latest_schema_in_wal_mode_with_every_table()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("sub/a.db"));
        Assert.Equal(Schema.LatestVersion, store.SchemaVersion);
        using var c = new SqliteConnection($"Data Source={store.Path}");
        c.Open();
        Assert.Equal("wal", c.ExecuteScalar<string>("PRAGMA journal_mode"));
        var tables = c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet();
        foreach (
            var t in new[]
            {
                "runs",
                "model_calls",
                "seeds",
                "questions",
                "bandit_steps",
                "responses",
                "parsed_responses",
                "judgments",
                "scores",
            }
        )
            Assert.Contains(t, tables);
    }

    [Fact]
    public void A_seed_saved_as_an_arm_stays_an_arm_when_saved_again_as_an_expanded_seed()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("a.db"));
        var chosen = new Seed("x1", "Should ferries be free?") { Source = SeedExpansion.SourcePrefix + "e1" };
        var proposed = new Seed("x2", "Should zoos close?") { Source = SeedExpansion.SourcePrefix + "e1" };
        store.SaveExpandedSeeds("r1", [proposed]);
        store.SaveArms("r1", [chosen]);
        store.SaveExpandedSeeds("r1", [chosen with { Question = "Should ferries be free for all?" }, proposed]);
        var arm = Assert.Single(store.LoadArms("r1"));
        Assert.Equal(("x1", "Should ferries be free for all?"), (arm.Id, arm.Question));
        Assert.Equal(["x1", "x2"], store.LoadExpandedSeeds("r1").Select(s => s.Id));

        store.SaveArms("r1", [proposed]);
        Assert.Equal(["x1", "x2"], store.LoadArms("r1").Select(s => s.Id).Order());
    }

    [Fact]
    public void Reopening_migrates_nothing_and_keeps_data()
    {
        using var dir = new TempDir();
        var path = dir.File("a.db");
        AdaemStore.Open(path).EnsureRun("r1", "h");
        var again = AdaemStore.Open(path);
        Assert.Equal("r1", Assert.Single(again.ListRuns()).Name);
    }

    [Fact]
    public void An_old_file_is_migrated_forward_keeping_its_data()
    {
        using var dir = new TempDir();
        var path = dir.File("old.db");
        // A file at version 0 that already holds an unrelated table: migration must add ours and keep it.
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            c.Execute("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('kept');");
        }
        SqliteConnection.ClearAllPools();
        var store = AdaemStore.Open(path);
        Assert.Equal(Schema.LatestVersion, store.SchemaVersion);
        using var c2 = new SqliteConnection($"Data Source={path}");
        c2.Open();
        Assert.Equal("kept", c2.ExecuteScalar<string>("SELECT x FROM notes"));
    }

    [Fact]
    public void A_version_1_file_is_migrated_step_by_step_keeping_its_rows()
    {
        using var dir = new TempDir();
        var path = dir.File("v1.db");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            c.Execute(Schema.Migrations[0]);
            c.Execute("PRAGMA user_version = 1");
            c.Execute("INSERT INTO seeds(run, id, question, category) VALUES ('r', 's1', 'Should zoos exist?', 'Science')");
        }
        SqliteConnection.ClearAllPools();
        var store = AdaemStore.Open(path);
        Assert.Equal(Schema.LatestVersion, store.SchemaVersion);
        using var c2 = new SqliteConnection($"Data Source={path}");
        c2.Open();
        // v2 added the arm flag; every v1 seed was an arm.
        Assert.Equal(1L, c2.ExecuteScalar<long>("SELECT arm FROM seeds WHERE id = 's1'"));
        Assert.Equal("Should zoos exist?", c2.ExecuteScalar<string>("SELECT question FROM seeds WHERE id = 's1'"));
    }

    [Fact]
    public void A_store_from_a_newer_adaem_fails_clearly()
    {
        using var dir = new TempDir();
        var path = dir.File("new.db");
        AdaemStore.Open(path);
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            c.Execute($"PRAGMA user_version = {Schema.LatestVersion + 5}");
        }
        SqliteConnection.ClearAllPools();
        var e = Assert.Throws<StoreVersionException>(() => AdaemStore.Open(path));
        Assert.Contains("upgrade adaem", e.Message);
        Assert.Equal(Schema.LatestVersion + 5, e.FileVersion);
    }

    [Fact]
    public void Successful_calls_are_cached_and_failures_are_only_ledger_rows()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("a.db"));
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "k",
                Model = "m",
                Provider = "p",
                RequestJson = "{}",
                Error = "HTTP 500",
                LatencyMs = 3,
                Run = "r",
                Stage = "s",
            }
        );
        Assert.Null(store.TryGetCachedCall("k"));
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "k",
                Model = "m",
                Provider = "p",
                RequestJson = "{}",
                ResponseText = "hello",
                InputTokens = 5,
                OutputTokens = 7,
                LatencyMs = 4,
                Cost = 0.5,
                Run = "r",
                Stage = "s",
                Attempt = 2,
            }
        );
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "k",
                Model = "m",
                Provider = "p",
                RequestJson = "{}",
                ResponseText = "second",
                LatencyMs = 4,
                Run = "r",
                Stage = "s",
            }
        );
        var hit = store.TryGetCachedCall("k")!;
        Assert.Equal("hello", hit.ResponseText);
        Assert.Equal(7, hit.OutputTokens);
        var summary = Assert.Single(store.SummarizeCalls("r"));
        Assert.Equal(1, summary.Calls);
        Assert.Equal(1, summary.Failures);
        Assert.Equal(0.5, summary.Cost);
    }

    [Fact]
    public void Cost_of_a_group_with_an_unpriced_call_is_unknown_not_zero()
    {
        using var dir = new TempDir();
        var store = AdaemStore.Open(dir.File("a.db"));
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "a",
                Model = "m",
                Provider = "p",
                RequestJson = "{}",
                ResponseText = "x",
                Cost = 1.0,
                Run = "r",
                Stage = "s",
            }
        );
        store.RecordCall(
            new ModelCallRecord
            {
                Key = "b",
                Model = "m",
                Provider = "p",
                RequestJson = "{}",
                ResponseText = "y",
                Cost = null,
                Run = "r",
                Stage = "s",
            }
        );
        var s = Assert.Single(store.SummarizeCalls("r"));
        Assert.Null(s.Cost);
        Assert.Equal(1, s.UnpricedCalls);
    }

    [Fact]
    public async Task Concurrent_writer_processes_do_not_corrupt_the_store()
    {
        using var dir = new TempDir();
        var path = dir.File("shared.db");
        const int writers = 3,
            each = 150;
        var procs = Enumerable
            .Range(0, writers)
            .Select(i =>
                Process.Start(
                    CliProcess.StartInfo(dir.Path, "store-writer", "--store", path, "--count", each.ToString(), "--tag", $"w{i}")
                )!
            )
            .ToList();
        foreach (var p in procs)
        {
            var err = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await p.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(p.ExitCode == 0, await err);
        }
        SqliteConnection.ClearAllPools();
        var store = AdaemStore.Open(path);
        Assert.Equal(writers * each, store.CountCalls());
        Assert.Equal(writers, store.ListRuns().Count);
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));
        for (var i = 0; i < writers; i++)
            Assert.Equal($"answer {each - 1}", store.TryGetCachedCall($"w{i}-{each - 1}")!.ResponseText);
    }
}
