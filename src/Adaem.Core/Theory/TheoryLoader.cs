using System.Reflection;
using Adaem.Core.Configuration;
using Adaem.Core.Data;
using Adaem.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Adaem.Core.Theory;

/// <summary>Loads value theories: the built-in ones by name, or a user YAML of the same shape.</summary>
public static class TheoryLoader
{
    public static readonly IReadOnlyList<string> BuiltIn = ["schwartz10", "mft5"];

    /// <summary>Loads <paramref name="nameOrPath"/>: a built-in name, or a path relative to <paramref name="baseDirectory"/>.</summary>
    public static ValueTheory Load(string nameOrPath, string? baseDirectory = null)
    {
        if (BuiltIn.Contains(nameOrPath))
        {
            using var stream =
                typeof(TheoryLoader).Assembly.GetManifestResourceStream($"theories/{nameOrPath}.yaml")
                ?? throw new InvalidOperationException($"built-in theory {nameOrPath} is missing from the assembly");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), $"<built-in {nameOrPath}.yaml>");
        }
        var path = Path.IsPathRooted(nameOrPath) ? nameOrPath : Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), nameOrPath);
        if (!File.Exists(path))
        {
            throw new InputException(
                path,
                null,
                $"theory '{nameOrPath}' is neither built in nor a file",
                $"use one of {string.Join(", ", BuiltIn)} or the path of a theory YAML"
            );
        }
        return Parse(Utf8Text.Read(path), path);
    }

    public static ValueTheory Parse(string yaml, string file)
    {
        var problems = new List<InputProblem>();
        var root = new YamlSection(YamlFile.LoadMapping(yaml, file), file, "", problems);
        root.RejectUnknown(["code", "name", "description", "values", "groups", "translations"]);
        var code = root.RequiredString("code", "give the theory a short code such as 'mytheory'");
        var name = root.RequiredString("name", "give the theory a display name");
        var description = root.String("description") ?? "";
        var theoryTranslations = Translations(root, "description");

        var groups = new List<ValueGroup>();
        if (root.Raw("groups") is YamlSequenceNode gseq)
        {
            foreach (var item in gseq.Children)
            {
                if (item is not YamlMappingNode gm)
                {
                    root.Problem(item.Line(), "each group must be a mapping", "write - { code: ..., name: ..., opposes: ... }");
                    continue;
                }
                var g = new YamlSection(gm, file, "groups[]", problems);
                g.RejectUnknown(["code", "name", "opposes"]);
                groups.Add(
                    new ValueGroup(
                        g.RequiredString("code", "add 'code:' to the group"),
                        g.RequiredString("name", "add 'name:' to the group"),
                        g.String("opposes")
                    )
                );
            }
        }
        else if (root.Has("groups"))
        {
            root.Problem(root.LineOf("groups"), "'groups' must be a list", "write each group as '- { code: ..., name: ... }'");
        }

        var values = new List<ValueDimension>();
        var valueLines = new List<int>();
        if (root.Raw("values") is YamlSequenceNode vseq)
        {
            foreach (var item in vseq.Children)
            {
                if (item is not YamlMappingNode vm)
                {
                    root.Problem(item.Line(), "each value must be a mapping", "write - { code: ..., name: ..., definition: ... }");
                    continue;
                }
                var v = new YamlSection(vm, file, "values[]", problems);
                v.RejectUnknown(["code", "name", "abbreviation", "definition", "group", "translations"]);
                var vcode = v.RequiredString("code", "add 'code:' (snake_case) to the value");
                var vname = v.RequiredString("name", "add 'name:' to the value");
                values.Add(
                    new ValueDimension(
                        vcode,
                        vname,
                        v.String("abbreviation") ?? Abbreviate(vname),
                        v.RequiredString("definition", "add a one-line 'definition:' the judge can use"),
                        v.String("group")
                    )
                    {
                        Translations = Translations(v, "definition"),
                    }
                );
                valueLines.Add(vm.Line());
            }
        }
        else
        {
            root.Problem(
                root.LineOf("values"),
                root.Has("values") ? "'values' must be a list" : "'values' is missing",
                "list the theory's values, each '- { code: ..., name: ..., definition: ... }'"
            );
        }

        if (problems.Count == 0)
        {
            if (values.Count < 2)
                root.Problem(root.LineOf("values"), "a theory needs at least two values", "add more values");
            var seen = new HashSet<string>();
            for (var i = 0; i < values.Count; i++)
            {
                var v = values[i];
                if (!seen.Add(v.Code))
                    root.Problem(valueLines[i], $"value code '{v.Code}' is used twice", "give each value its own code");
                if (!IsSnake(v.Code))
                    root.Problem(
                        valueLines[i],
                        $"value code '{v.Code}' must be snake_case (a-z, 0-9, _)",
                        "rename it, e.g. 'self_direction'"
                    );
                if (v.Group is { } g && groups.All(x => x.Code != g))
                    root.Problem(
                        valueLines[i],
                        $"value '{v.Code}' names group '{g}' that is not defined",
                        "add it under 'groups' or fix the name"
                    );
            }
            foreach (var g in groups.Where(g => g.Opposes is not null && groups.All(x => x.Code != g.Opposes)))
                root.Problem(root.LineOf("groups"), $"group '{g.Code}' opposes '{g.Opposes}', which is not defined", "fix the group code");
        }

        if (problems.Count > 0)
            throw new InputException(problems);
        return new ValueTheory(code, name, description, values, groups) { Translations = theoryTranslations };
    }

    /// <summary>
    /// 'translations:' of a theory or a value: per BCP-47 tag, a name and a text (the theory's description or
    /// the value's definition), e.g. <c>translations: { de: { name: Sicherheit, definition: ... } }</c>.
    /// </summary>
    private static Dictionary<string, TheoryText> Translations(YamlSection section, string textKey)
    {
        var result = new Dictionary<string, TheoryText>(StringComparer.OrdinalIgnoreCase);
        if (section.Section("translations") is not { } t)
            return result;
        foreach (var language in t.Keys)
        {
            if (t.Section(language) is not { } entry)
                continue;
            entry.RejectUnknown(["name", textKey]);
            var text = entry.String(textKey);
            var name = entry.String("name");
            if (text is null && name is null)
                entry.Problem(
                    entry.Line,
                    $"the {language} translation gives neither 'name' nor '{textKey}'",
                    $"add name: and {textKey}: in {language}, or remove it"
                );
            result[language] = new TheoryText(name, text);
        }
        return result;
    }

    private static bool IsSnake(string s) => s.Length > 0 && s.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    private static string Abbreviate(string name) => new string(name.Where(char.IsLetter).Take(3).ToArray()).ToUpperInvariant();
}
