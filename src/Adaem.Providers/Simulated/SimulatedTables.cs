using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Adaem.Providers.Simulated;

/// <summary>
/// Reads the simulated pool's English tables: data/simulated/tables/NAME.yaml, embedded as simulated/tables/NAME.yaml
/// (cue words and phrase banks, contexts, seed issues, bland phrases, harm cues). The class that owns a table reads it
/// once, on first use, and keeps it. A malformed table fails as a user's theory file would: an
/// <see cref="InputException"/> naming the resource, the line and the fix.
/// </summary>
internal static class SimulatedTables
{
    /// <summary>The prefix of the tables' resource names; the other files of data/simulated are languages.</summary>
    public const string Prefix = "simulated/tables/";

    /// <summary>Reads the embedded table <paramref name="name"/> with <paramref name="read"/>.</summary>
    public static T Load<T>(string name, Func<YamlSection, List<InputProblem>, T> read)
    {
        var resource = $"{Prefix}{name}.yaml";
        using var stream =
            typeof(SimulatedTables).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"built-in table {resource} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), FileName(name), read);
    }

    /// <summary>How errors name the table <paramref name="name"/>: "&lt;built-in simulated/tables/NAME.yaml&gt;".</summary>
    public static string FileName(string name) => $"<built-in {Prefix}{name}.yaml>";

    /// <summary>
    /// Parses a table's text: <paramref name="read"/> gets the top-level section and the list its problems go to
    /// (for sections it makes itself), and all problems are thrown together.
    /// </summary>
    public static T Parse<T>(string yaml, string file, Func<YamlSection, List<InputProblem>, T> read)
    {
        var problems = new List<InputProblem>();
        var result = read(new YamlSection(YamlFile.LoadMapping(yaml, file), file, "", problems), problems);
        if (problems.Count > 0)
            throw new InputException(problems);
        return result;
    }

    /// <summary>A list of words or phrases that must be given, and be non-empty unless <paramref name="mayBeEmpty"/>.</summary>
    public static string[] Strings(YamlSection section, string key, bool mayBeEmpty = false)
    {
        var list = section.List(key);
        if (list is null)
        {
            if (!section.Has(key))
                section.Problem(section.Line, $"'{section.Qualified(key)}' is missing", $"add '{key}: [...]'");
            return [];
        }
        if (list.Count == 0 && !mayBeEmpty)
            section.Problem(section.LineOf(key), $"'{section.Qualified(key)}' is empty", "list at least one entry");
        return [.. list.Select(x => x.Value)];
    }

    /// <summary>The entries of a list of mappings, each as a section; an entry that is not a mapping is a problem.</summary>
    public static List<YamlSection> Mappings(YamlSection section, string key, List<InputProblem> problems, string fix)
    {
        var result = new List<YamlSection>();
        if (section.Raw(key) is YamlSequenceNode seq)
        {
            foreach (var item in seq.Children)
            {
                if (item is YamlMappingNode m)
                    result.Add(new YamlSection(m, section.File, $"{section.Qualified(key)}[]", problems));
                else
                    section.Problem(item.Line(), $"each entry of '{section.Qualified(key)}' must be a mapping", fix);
            }
        }
        else
        {
            var what = section.Has(key) ? "must be a list" : "is missing";
            section.Problem(section.LineOf(key), $"'{section.Qualified(key)}' {what}", fix);
        }
        return result;
    }
}
