using System.Text;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>`adaem doctor` through the real CLI on real store files: healthy, damaged, not a store, and holding a stale lease.</summary>
public sealed class DoctorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Config = TestConfig.Create().Simulated("a", 1).Yaml;

    [Fact]
    public async Task A_healthy_store_after_an_evaluation_is_reported_with_its_run_and_exit_0()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 2);
        stub.Script = StubEvaluation.Opinion;
        var evaluated = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);
        Assert.True(evaluated.ExitCode == 0, evaluated.All);

        var r = await CliProcess.RunAsync(setup.Directory, "doctor", "-c", setup.Config);

        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains($"store: {setup.Store}", r.Stdout);
        Assert.Matches(@"size: [\d,]+ bytes \(\+ [\d,]+ bytes of write-ahead log\)", r.Stdout);
        Assert.Contains($"schema version: {Adaem.Storage.StoreCheck.LatestVersion} (current)", r.Stdout);
        Assert.Contains("integrity check: ok", r.Stdout);
        Assert.Contains("runs: 1", r.Stdout);
        Assert.Matches(@"  main: evaluate done, updated \S+; lease: none", r.Stdout);
        Assert.Contains("calls in flight: 0", r.Stdout);
        Assert.Contains("the store is healthy", r.Stdout);
    }

    [Fact]
    public async Task A_store_with_a_damaged_index_fails_the_integrity_check_with_exit_1_and_the_fix()
    {
        using var dir = new TempDir();
        var config = dir.Write("adaem.yaml", Config);
        var store = dir.File("adaem.db");
        var w = await CliProcess.RunAsync(dir.Path, "store-writer", "--store", store, "--count", "3000");
        Assert.True(w.ExitCode == 0, w.All);
        StoreFile.Checkpoint(store);
        // Change one ledger key where it is first stored: the table and its unique index no longer agree.
        var bytes = await File.ReadAllBytesAsync(store, Ct);
        var at = IndexOf(bytes, Encoding.ASCII.GetBytes("w-1234"));
        Assert.True(at > 0);
        Encoding.ASCII.GetBytes("w-9999").CopyTo(bytes, at);
        await File.WriteAllBytesAsync(store, bytes, Ct);

        var r = await CliProcess.RunAsync(dir.Path, "doctor", "-c", config);

        Assert.True(r.ExitCode == 1, r.All);
        Assert.Contains("integrity check: FAILED", r.Stdout);
        Assert.Contains("missing from index model_calls_cache", r.Stdout);
        Assert.Contains($"failed: the store {store} is damaged.", r.Stderr);
        Assert.Contains($"Fix: restore a copy of the store, or point 'store:' in {config} to a new path", r.Stderr);
        Assert.DoesNotContain("healthy", r.Stdout);
    }

    [Fact]
    public async Task A_file_that_is_not_a_store_exits_2()
    {
        using var dir = new TempDir();
        var config = dir.Write("adaem.yaml", Config);
        var store = dir.Write("adaem.db", "a shopping list: eggs, bread, tea\n");

        var text = await CliProcess.RunAsync(dir.Path, "doctor", "-c", config);

        Assert.True(text.ExitCode == 2, text.All);
        Assert.Contains($"error: {store} is not an adaem store", text.Stderr);

        File.Delete(store);
        using (var c = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE recipes(name TEXT)";
            cmd.ExecuteNonQuery();
        }
        var other = await CliProcess.RunAsync(dir.Path, "doctor", "-c", config);
        Assert.True(other.ExitCode == 2, other.All);
        Assert.Contains($"error: {store} is a SQLite database, but not an adaem store (it has no adaem tables).", other.Stderr);

        File.Delete(store);
        var missing = await CliProcess.RunAsync(dir.Path, "doctor", "-c", config);
        Assert.True(missing.ExitCode == 2, missing.All);
        Assert.Contains($"error: there is no store at {store}.", missing.Stderr);
        Assert.False(File.Exists(store)); // doctor creates nothing
    }

    [Fact]
    public async Task A_store_with_a_stale_lease_is_healthy_and_names_the_dead_holder_and_its_calls_in_flight()
    {
        using var dir = new TempDir();
        var config = dir.Write("adaem.yaml", Config);
        var store = dir.File("adaem.db");
        var created = await CliProcess.RunAsync(dir.Path, "runs", "-c", config);
        Assert.True(created.ExitCode == 0, created.All);
        StoreRows.PutRun(store, "main", "evaluate", "running");
        StoreRows.PutLease(store, "main", 4242, "elsewhere", "evaluate", DateTimeOffset.UtcNow.AddMinutes(-5), token: "dead");
        StoreRows.PutClaim(store, "k1", "dead", DateTimeOffset.UtcNow.AddMinutes(-5));
        StoreRows.PutClaim(store, "k2", "dead", DateTimeOffset.UtcNow.AddMinutes(-5));

        var r = await CliProcess.RunAsync(dir.Path, "doctor", "-c", config);

        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("integrity check: ok", r.Stdout);
        Assert.Contains("  main: evaluate stale, updated ", r.Stdout);
        Assert.Contains("lease: pid 4242 on elsewhere ('adaem evaluate', since ", r.Stdout);
        Assert.Contains("last heartbeat 5 min ago, stale: no heartbeat for more than 30 s)", r.Stdout);
        Assert.Contains("so that process is presumed dead (killed?). The next command on this run takes it over.", r.Stdout);
        Assert.Contains("calls in flight: 2 (2 stale: their process stopped; the next process that needs one makes the call)", r.Stdout);
        Assert.Contains("  2 by pid 4242 on elsewhere ('adaem evaluate', run 'main'), oldest since ", r.Stdout);
        Assert.Contains("the store is healthy", r.Stdout);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        return -1;
    }
}
