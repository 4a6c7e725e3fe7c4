using System.CommandLine;

namespace Adaem.Cli;

/// <summary>Options shared by several commands, so they read and behave the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string> Config(bool required = true) =>
        new("--config", "-c")
        {
            Description = "Path of the adaem.yaml config",
            Required = required,
            DefaultValueFactory = _ => "adaem.yaml",
        };

    public static Option<string?> Run(bool required = false) =>
        new("--run") { Description = "Name of the run; the same name resumes it (default: 'main')", Required = required };

    public static Option<string?> Out() =>
        new("--out") { Description = "Directory for the files this stage writes (default: out/RUN/ beside the config)" };

    public static Option<bool> AcceptChanges() =>
        new("--accept-changes")
        {
            Description =
                "Accept a changed instrument (a target's model, the judge, the theory, the generator pool) in an existing run: "
                + "what it affects is asked again, earlier answers are kept apart. Without it such a change stops with exit 2.",
        };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Plain progress lines instead of live progress bars" };
}
