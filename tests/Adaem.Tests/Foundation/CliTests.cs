using Adaem.Core.Configuration;
using Adaem.Tests.Support;

namespace Adaem.Tests.Foundation;

public class CliTests
{
    [Fact]
    public async Task Help_lists_every_command_of_the_contract()
    {
        using var dir = new TempDir();
        var r = await CliProcess.RunAsync(dir.Path, "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var cmd in new[] { "init", "generate", "evaluate", "report", "run", "validate", "export", "runs", "compare" })
            Assert.Contains($"  {cmd}", r.Stdout);
        Assert.DoesNotContain("store-writer", r.Stdout);
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task Init_writes_a_valid_commented_config_and_runs_reads_it(string template)
    {
        using var dir = new TempDir();
        var init = await CliProcess.RunAsync(dir.Path, "init", "proj", "--template", template);
        Assert.True(init.ExitCode == 0, init.All);
        var path = Path.Combine(dir.Path, "proj", "adaem.yaml");
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.Contains("#", text);
        var config = ConfigLoader.Load(path);

        var runs = await CliProcess.RunAsync(dir.Path, "runs", "-c", path);
        Assert.True(runs.ExitCode == 0, runs.All);
        Assert.Contains("no runs yet", runs.Stdout);
        Assert.Equal(Path.Combine(dir.Path, "proj", $"{template}.db"), config.StorePath);
        Assert.True(File.Exists(config.StorePath));
    }

    [Fact]
    public async Task Init_refuses_to_overwrite_without_force()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, "init")).ExitCode);
        var again = await CliProcess.RunAsync(dir.Path, "init");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Stderr);
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, "init", "--force")).ExitCode);
    }

    [Fact]
    public async Task A_bad_config_exits_2_naming_file_line_and_fix()
    {
        using var dir = new TempDir();
        var path = dir.Write("adaem.yaml", "models:\n  a: { provider: simulated }\nevaluation:\n  targets: [a, ghost]\n");
        var r = await CliProcess.RunAsync(dir.Path, "runs", "-c", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{path}:4", r.Stderr);
        Assert.Contains("Fix:", r.Stderr);
    }

    [Fact]
    public async Task A_missing_config_exits_2()
    {
        using var dir = new TempDir();
        var r = await CliProcess.RunAsync(dir.Path, "runs", "-c", "nope.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("adaem init", r.Stderr);
    }
}
