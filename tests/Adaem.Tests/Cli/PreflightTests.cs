using Adaem.Tests.Pipeline;
using Adaem.Tests.Providers;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>
/// Mistakes in --out, --run and the store's place are found before the first model call: exit 2, a message
/// naming what is wrong and the fix, and not one request at the loopback stub nor one row in the ledger.
/// </summary>
public sealed class PreflightTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Out_naming_an_existing_file_stops_evaluate_before_any_call()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 3);
        var file = Path.Combine(setup.Directory, "results.txt");
        await File.WriteAllTextAsync(file, "my notes", Ct);

        var result = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, [.. setup.Evaluate, "--out", file]);

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains($"error: {file}: the output folder is an existing file", result.Stderr);
        Assert.Contains("Fix: pass --out with a folder", result.Stderr);
        Assert.Equal("my notes", await File.ReadAllTextAsync(file, Ct));
        AssertNothingAsked(stub, setup.Store);
    }

    [Theory]
    [InlineData("", "the run name is empty", "leave out --run to use 'main'")]
    [InlineData(
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "the run name has 65 characters; at most 64 are allowed",
        "use a shorter name"
    )]
    [InlineData("my run/2", "the run name 'my run/2' has ' ' (U+0020), which a run name cannot have", "e.g. --run my-run-2")]
    [InlineData(".hidden", "the run name '.hidden' has '.' at its start", "starting with a letter or digit, e.g. --run hidden")]
    public async Task A_bad_run_name_stops_evaluate_before_any_call(string run, string problem, string fix)
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 3);

        var result = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, [.. setup.Evaluate, "--run", run]);

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains($"error: --run: {problem}", result.Stderr);
        Assert.Contains(fix, result.Stderr);
        AssertNothingAsked(stub, setup.Store);
        Assert.False(Directory.Exists(Path.Combine(setup.Directory, "out")), "nothing was created for a refused run name");
    }

    [Fact]
    public async Task A_store_folder_that_cannot_be_created_stops_evaluate_before_any_call_and_names_it()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 3);
        // A file where the store's folder should be: no user, root included, can create a folder there.
        var blocker = Path.Combine(setup.Directory, "stores");
        await File.WriteAllTextAsync(blocker, "", Ct);
        var config = (await File.ReadAllTextAsync(setup.Config, Ct)).Replace(
            "store: adaem.db",
            "store: stores/adaem.db",
            StringComparison.Ordinal
        );
        await File.WriteAllTextAsync(setup.Config, config, Ct);

        var result = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, setup.Evaluate);

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains($"error: {blocker}: the store's folder cannot be created or written", result.Stderr);
        Assert.Contains($"Fix: point 'store:' in {setup.Config} to a writable place", result.Stderr);
        Assert.Equal(0, stub.Count);
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_created_stops_evaluate_before_any_call_and_names_it()
    {
        await using var stub = await OpenAIStub.StartAsync(Ct);
        using var setup = new StubEvaluation(stub, questions: 3);
        var blocker = Path.Combine(setup.Directory, "results");
        await File.WriteAllTextAsync(blocker, "", Ct);
        var folder = Path.Combine(blocker, "main");

        var result = await CliProcess.RunAsync(setup.Directory, StubEvaluation.Environment, [.. setup.Evaluate, "--out", folder]);

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains($"error: {folder}: the output folder cannot be created or written", result.Stderr);
        Assert.Contains("Fix: choose another folder with --out", result.Stderr);
        AssertNothingAsked(stub, setup.Store);
    }

    [Fact]
    public async Task Generate_and_run_check_out_before_the_loop_spends_anything()
    {
        using var offline = new OfflineCopy();
        var file = Path.Combine(offline.Directory, "taken");
        await File.WriteAllTextAsync(file, "x", Ct);

        var generate = await offline.RunCliAsync("generate", "--out", file, "--quiet");
        var run = await offline.RunCliAsync("run", "--run", "", "--quiet");

        Assert.True(generate.ExitCode == 2, generate.All);
        Assert.Contains($"error: {file}: the output folder is an existing file", generate.Stderr);
        Assert.True(run.ExitCode == 2, run.All);
        Assert.Contains("error: --run: the run name is empty", run.Stderr);
        Assert.Empty(offline.SuccessfulCalls("main"));
        Assert.DoesNotContain("calls made", generate.Stdout + run.Stdout);
    }

    /// <summary>No request reached the stub, and the store (if it was created at all) has no call in its ledger.</summary>
    private static void AssertNothingAsked(OpenAIStub stub, string store)
    {
        Assert.Equal(0, stub.Count);
        if (!File.Exists(store))
            return;
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM model_calls";
        Assert.Equal(0L, (long)cmd.ExecuteScalar()!);
    }
}
