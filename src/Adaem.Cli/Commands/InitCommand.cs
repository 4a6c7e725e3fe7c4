using System.CommandLine;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.RunFiles;

namespace Adaem.Cli.Commands;

/// <summary>`adaem init`: writes a commented, valid adaem.yaml from one of the examples.</summary>
internal static class InitCommand
{
    public static readonly IReadOnlyList<string> Templates = ["offline", "openai", "ollama"];

    public static Command Create()
    {
        var dir = new Argument<string>("DIR")
        {
            Description = "Directory to write adaem.yaml into",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => ".",
        };
        var template = new Option<string>("--template", "-t")
        {
            Description = "Which example to start from",
            DefaultValueFactory = _ => "offline",
        };
        template.AcceptOnlyFromAmong([.. Templates]);
        var force = new Option<bool>("--force") { Description = "Overwrite an existing adaem.yaml" };
        var cmd = new Command("init", "Write a commented adaem.yaml to start from") { dir, template, force };
        cmd.SetAction(parse =>
        {
            var target = Path.GetFullPath(parse.GetValue(dir)!);
            Directory.CreateDirectory(target);
            var path = Path.Combine(target, "adaem.yaml");
            if (File.Exists(path) && !parse.GetValue(force))
            {
                Console.Error.WriteLine($"error: {path} already exists. Fix: pass --force to overwrite it, or choose another directory.");
                return ErrorReporter.BadInput;
            }
            var name = parse.GetValue(template)!;
            var text = ReadTemplate(name);
            // Validate before writing, as the stages will: init must never hand a user a broken file.
            var parsed = ConfigLoader.Parse(text, path);
            GenerationChecks.Validate(parsed);
            EvaluateStage.Validate(parsed);
            AtomicFile.WriteText(path, text);
            if (name is "openai" && !File.Exists(Path.Combine(target, "pricing.yaml")))
                AtomicFile.WriteText(Path.Combine(target, "pricing.yaml"), ReadTemplate("pricing"));
            Console.WriteLine($"wrote {path}");
            Console.WriteLine($"next: adaem run -c {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}");
            return ErrorReporter.Ok;
        });
        return cmd;
    }

    internal static string ReadTemplate(string name)
    {
        using var s =
            typeof(InitCommand).Assembly.GetManifestResourceStream($"templates/{name}.yaml")
            ?? throw new InvalidOperationException($"template {name} is missing from the build");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
