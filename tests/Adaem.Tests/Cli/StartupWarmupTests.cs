using Adaem.Cli;

namespace Adaem.Tests.Cli;

/// <summary>
/// The start-up warm-up (run on a second core while adaem parses its command line and reads its config) still
/// reaches every library it means to warm: no step fails, so none silently stopped helping after a library changed.
/// </summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public void Every_step_runs() => Assert.Empty(StartupWarmup.Run());
}
