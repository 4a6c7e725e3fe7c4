using Adaem.Tests.Providers;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>
/// Each way a store can fail, through the real CLI on real files: a message that names the store and the
/// fix, the exit code of the contract (2 for the user's environment, 1 for a full disk), never a bug report.
/// </summary>
public sealed class StoreErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Config = TestConfig.Create().Simulated("a", 1).Yaml;

    [Fact]
    public async Task A_text_file_as_the_store_exits_2_saying_it_is_not_a_store()
    {
        using var dir = new TempDir();
        var config = dir.Write("adaem.yaml", Config);
        var store = dir.Write("adaem.db", "these are my notes, not a database\n");

        var r = await CliProcess.RunAsync(dir.Path, "generate", "-c", config);

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"error: {store} is not an adaem store: it is not a SQLite database", r.Stderr);
        Assert.Contains($"'adaem doctor -c {config}' checks a store", r.Stderr);
        AssertNoBugReport(r);
        Assert.Equal("these are my notes, not a database\n", await File.ReadAllTextAsync(store, Ct)); // untouched
    }

    [Fact]
    public async Task A_truncated_store_exits_2_saying_it_is_damaged_and_pointing_to_doctor()
    {
        using var dir = new TempDir();
        var config = dir.Write("adaem.yaml", Config);
        var store = dir.File("adaem.db");
        await FillAsync(dir, store, rows: 3000);
        Truncate(store, new FileInfo(store).Length / 2);

        var r = await CliProcess.RunAsync(dir.Path, "runs", "-c", config);

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"error: the store {store} is damaged (SQLite error 11: database disk image is malformed)", r.Stderr);
        Assert.Contains($"Fix: run 'adaem doctor -c {config}' to see what is damaged; restore a copy of the store", r.Stderr);
        AssertNoBugReport(r);
    }

    [Fact]
    public async Task A_directory_as_the_store_exits_2_saying_so()
    {
        using var dir = new TempDir();
        var config = dir.Write("adaem.yaml", Config);
        Directory.CreateDirectory(dir.File("adaem.db"));

        var r = await CliProcess.RunAsync(dir.Path, "runs", "-c", config);

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"error: cannot open the store {dir.File("adaem.db")}: it is a directory, not a file", r.Stderr);
        Assert.Contains("Fix: point 'store:' in the config to a file", r.Stderr);
        AssertNoBugReport(r);
    }

    [Fact]
    public async Task A_read_only_store_file_exits_2_before_any_model_call()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 2);
        var created = await CliProcess.RunAsync(setup.Directory, "runs", "-c", setup.Config);
        Assert.True(created.ExitCode == 0, created.All);
        using var readOnly = ReadOnlyPath.Make(setup.Store);
        if (readOnly is null)
            Assert.Skip("this machine can make no file read-only for this user (see the in-process read-only test)");

        var r = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"error: the store {setup.Store} is read-only: this user cannot write the file", r.Stderr);
        Assert.Contains("Fix: make the file writable", r.Stderr);
        AssertNoBugReport(r);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public async Task A_store_in_a_read_only_folder_exits_2_naming_the_folder()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 2);
        var created = await CliProcess.RunAsync(setup.Directory, "runs", "-c", setup.Config);
        Assert.True(created.ExitCode == 0, created.All);
        SqliteConnection.ClearAllPools();
        foreach (var side in new[] { "-wal", "-shm" })
            File.Delete(setup.Store + side);
        using var readOnly = ReadOnlyPath.Make(setup.Directory);
        if (readOnly is null)
            Assert.Skip("this machine can make no folder read-only for this user (see the in-process read-only test)");

        var r = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(r.ExitCode == 2, r.All);
        // The pre-flight check of the folders (before the store is opened) names the folder that cannot be written and the fix.
        Assert.Contains($"error: {setup.Directory}", r.Stderr);
        Assert.Contains("cannot be created or written", r.Stderr);
        Assert.Contains("Fix: ", r.Stderr);
        AssertNoBugReport(r);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public async Task A_disk_that_fills_up_mid_evaluate_exits_1_keeps_every_saved_call_and_the_rerun_finishes_once_there_is_space()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var dir = new TempDir();
        using var disk = SmallDisk.Mount(dir.Sub("small"), kilobytes: 1536);
        if (disk is null)
            Assert.Skip("mounting a small tmpfs needs root on Linux");
        var store = Path.Combine(disk.Path, "adaem.db");
        var remote = TestConfig.OnStub(stub.BaseUrl, StubEvaluation.KeyVariable, "concurrency: 2, max_retries: 0");
        var config = TestConfig.StubEvaluation(remote, localKeys: "concurrency: 1", store: store).WriteTo(dir);
        // Each target's lane is twice its concurrency (OpinionJudging.Headroom): 2 items for the instant simulated target
        // against 4 for the remote one, so the simulated target does not fill the disk before the remote one has saved answers.
        // Long questions make every stored call and answer large, so the 1.5 MB disk fills up part-way.
        var padding = string.Join(' ', Enumerable.Repeat("Consider the history, the costs and the people affected.", 25));
        var questions = dir.Write("questions.jsonl", StubEvaluation.QuestionLines(150, i => $"q{i:D3}", suffix: " " + padding));
        stub.Script = StubEvaluation.Opinion;
        string[] evaluate = ["evaluate", "-c", config, "--questions", questions, "--quiet", "--out", dir.Sub("out")];

        var full = await CliProcess.RunAsync(dir.Path, StubEvaluation.Environment, evaluate);

        Assert.True(full.ExitCode == 1, full.All);
        Assert.Contains($"failed: the disk that holds the store {store} is full: SQLite could not write (SQLite error 13", full.Stderr);
        Assert.Contains("Fix: free space and rerun the same command; every call saved before this point is kept", full.Stderr);
        AssertNoBugReport(full);
        var saved = SavedPrompts(store);
        Assert.True(saved.Count > 0, full.All + $" (stub asked {stub.Count} times)");
        Assert.True(stub.Count < 150, "the disk filled up only after every call was made");

        disk.Grow(64 * 1024);
        var rerun = await CliProcess.RunAsync(dir.Path, StubEvaluation.Environment, evaluate);

        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Contains("evaluate done: answers judged 300/300 (100%)", rerun.Stdout);
        Assert.All(saved, p => Assert.Equal(1, stub.CountOf(p))); // nothing saved before the disk filled up was asked again
    }

    /// <summary>The user prompts of the remote target's answers in the ledger.</summary>
    private static HashSet<string> SavedPrompts(string store)
    {
        using var c = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT request_json FROM model_calls WHERE error IS NULL AND model = 'remote'";
        using var r = cmd.ExecuteReader();
        var prompts = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read())
        {
            var messages = System.Text.Json.Nodes.JsonNode.Parse(r.GetString(0))!["messages"]!.AsArray();
            prompts.Add(messages.Last(m => m!["role"]!.GetValue<string>() == "user")!["text"]!.GetValue<string>());
        }
        return prompts;
    }

    /// <summary>Never the look of a bug: no exception type, no "unexpected", no hint to trace it.</summary>
    private static void AssertNoBugReport(CliResult r)
    {
        Assert.DoesNotContain("SqliteException", r.All);
        Assert.DoesNotContain("unexpected", r.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ADAEM_TRACE", r.All);
    }

    /// <summary>A real store with many ledger rows, written by the CLI's diagnostic writer and checkpointed into the main file.</summary>
    private static async Task FillAsync(TempDir dir, string store, int rows)
    {
        var count = rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var w = await CliProcess.RunAsync(dir.Path, "store-writer", "--store", store, "--count", count);
        Assert.True(w.ExitCode == 0, w.All);
        StoreFile.Checkpoint(store);
    }

    private static void Truncate(string path, long length)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.SetLength(length);
    }
}
