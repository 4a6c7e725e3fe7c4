using System.Diagnostics;
using Adaem.Tests.Pipeline;
using Adaem.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Adaem.Tests.Cli;

/// <summary>
/// generation.arms_per_round through the real CLI on the offline example: a bad value stops before any
/// model call with the file and line, and a run with four arms per round killed hard between rounds and
/// run again writes the same benchmark as an uninterrupted one.
/// </summary>
public sealed class ArmsPerRoundTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A copy of examples/offline.yaml with `arms_per_round: VALUE` under its budget line; returns the line it is on.</summary>
    private static int SetArmsPerRound(OfflineCopy copy, string value)
    {
        var lines = File.ReadAllLines(copy.ConfigPath).ToList();
        var budget = lines.FindIndex(l => l.TrimStart().StartsWith("budget:", StringComparison.Ordinal));
        Assert.True(budget >= 0, "examples/offline.yaml has no generation budget line");
        lines.Insert(budget + 1, "  arms_per_round: " + value);
        File.WriteAllLines(copy.ConfigPath, lines);
        return budget + 2;
    }

    private static long Steps(string store)
    {
        if (!File.Exists(store))
            return 0;
        try
        {
            using var c = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM bandit_steps";
            return (long)cmd.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return 0; // the child has not migrated the store yet
        }
    }

    [Theory]
    [InlineData("0", "out of range")]
    [InlineData("65", "out of range")]
    [InlineData("four", "must be a whole number")]
    public async Task A_bad_arms_per_round_stops_at_its_line_before_any_model_call(string value, string problem)
    {
        using var copy = new OfflineCopy();
        var line = SetArmsPerRound(copy, value);
        var r = await copy.RunCliAsync("generate", "--quiet");
        Assert.True(r.ExitCode == 2, r.All);
        Assert.Contains($"{copy.ConfigPath}:{line}: ", r.Stderr);
        Assert.Contains("generation.arms_per_round", r.Stderr);
        Assert.Contains(problem, r.Stderr);
        if (problem == "out of range")
            Assert.Contains("between 1 and 64", r.Stderr);
        Assert.Empty(copy.SuccessfulCalls("main"));
    }

    [Fact]
    public async Task A_run_with_four_arms_per_round_killed_after_some_rounds_and_rerun_writes_the_same_questions()
    {
        using var whole = new OfflineCopy();
        SetArmsPerRound(whole, "4");
        var reference = await whole.RunCliAsync("generate", "--quiet");
        Assert.True(reference.ExitCode == 0, reference.All);
        Assert.Contains("bandit steps 40/40", reference.Stdout);

        using var killed = new OfflineCopy();
        SetArmsPerRound(killed, "4");
        using (var child = Process.Start(CliProcess.StartInfo(killed.Directory, "generate", "-c", killed.ConfigPath, "--quiet"))!)
        {
            var stdout = child.StandardOutput.ReadToEndAsync(Ct);
            var stderr = child.StandardError.ReadToEndAsync(Ct);
            await Poll.UntilAsync(() => Steps(killed.StorePath) >= 8, "two rounds in the store", child.WaitForExitAsync(Ct));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);
            await Task.WhenAll(stdout, stderr);
        }
        var atKill = Steps(killed.StorePath);
        Assert.InRange(atKill, 8, 39);
        Assert.Equal(0, atKill % 4); // a round is stored whole or not at all
        Assert.False(File.Exists(killed.OutFile("main", "questions.jsonl")));

        var rerun = await killed.RunCliAsync("generate", "--quiet");
        Assert.True(rerun.ExitCode == 0, rerun.All);
        Assert.Equal(
            await File.ReadAllTextAsync(whole.OutFile("main", "questions.jsonl"), Ct),
            await File.ReadAllTextAsync(killed.OutFile("main", "questions.jsonl"), Ct)
        );
        // And the same calls: the rerun asked only what the killed run had not finished.
        Assert.Equal(
            whole.SuccessfulCalls("main").Select(c => c.Key).Order(StringComparer.Ordinal),
            killed.SuccessfulCalls("main").Select(c => c.Key).Order(StringComparer.Ordinal)
        );
    }
}
