using Adaem.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Adaem.Core.Configuration;

/// <summary>
/// Reads a YAML file into the representation model so every value keeps its line number, and turns
/// syntax errors into <see cref="InputException"/> naming the file and line.
/// </summary>
public static class YamlFile
{
    public static YamlMappingNode LoadMapping(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet reports a tab in the indentation at the start of the enclosing mapping (often line 1); find the tab itself.
            if (Inner(e).Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && TabIndentedLine(text) is { } tab)
                throw new InputException(
                    file,
                    tab,
                    "YAML syntax error: this line is indented with a tab; YAML indents with spaces only",
                    "replace the tab at the start of that line with spaces"
                );
            throw new InputException(
                file,
                Math.Max(1, (int)e.Start.Line),
                $"YAML syntax error: {Inner(e).Message}",
                "check indentation and quoting on that line"
            );
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some unclosed flow collections; find where parsing stopped.
            throw new InputException(
                file,
                LastGoodLine(text),
                "YAML syntax error: a '{' or '[' is not closed, or a line is malformed",
                "check brackets, indentation and quoting from that line on"
            );
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputException(file, 1, "expected a mapping of keys at the top level", "start the file with 'key: value' lines");
        }
        return root;
    }

    /// <summary>The first line whose indentation holds a tab (blank and comment lines aside), or null.</summary>
    private static int? TabIndentedLine(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var indent = line.Length - line.TrimStart(' ', '\t').Length;
            var rest = line[indent..];
            if (line.AsSpan(0, indent).Contains('\t') && rest.Length > 0 && !rest.StartsWith('#'))
                return i + 1;
        }
        return null;
    }

    private static int LastGoodLine(string text)
    {
        var parser = new Parser(new StringReader(text));
        var line = 1;
        try
        {
            while (parser.MoveNext())
                line = (int)(parser.Current?.End.Line ?? line);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException) { }
        return line;
    }

    public static int Line(this YamlNode node) => (int)node.Start.Line;

    private static Exception Inner(YamlException e) => e.InnerException is YamlException i ? Inner(i) : e;
}

/// <summary>
/// A view of one YAML mapping that records which keys were read, so unknown keys can be reported,
/// and converts scalars with errors that name the line.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1720:Identifier contains type name",
    Justification = "String, Double and Int read the YAML scalar types of those names; every config reader calls them."
)]
public sealed class YamlSection
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly List<InputProblem> _problems;

    public YamlSection(YamlMappingNode node, string file, string path, List<InputProblem> problems)
    {
        Node = node;
        File = file;
        Path = path;
        _problems = problems;
        foreach (var (k, v) in node.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (!_entries.TryAdd(key, (k, v)))
            {
                problems.Add(new InputProblem(file, k.Line(), $"'{Qualified(key)}' is given twice", "keep one of them"));
            }
        }
    }

    public YamlMappingNode Node { get; }
    public string File { get; }
    public string Path { get; }
    public int Line => Node.Line();
    public IEnumerable<string> Keys => _entries.Keys;

    public string Qualified(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _entries.ContainsKey(key);

    public int LineOf(string key) => _entries.TryGetValue(key, out var e) ? e.Key.Line() : Line;

    public YamlNode? Raw(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

    public void Problem(int line, string message, string? fix = null) => _problems.Add(new InputProblem(File, line, message, fix));

    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var (key, (k, _)) in _entries)
        {
            if (!known.Contains(key))
            {
                var near = known.OrderBy(x => Distance(x, key)).First();
                _problems.Add(
                    new InputProblem(
                        File,
                        k.Line(),
                        $"unknown key '{Qualified(key)}'",
                        $"remove it, or did you mean '{near}'? Known keys here: {string.Join(", ", known)}"
                    )
                );
            }
        }
    }

    public string? String(string key)
    {
        var node = Raw(key);
        if (node is null)
            return null;
        if (node is YamlScalarNode s)
            return s.Value;
        Problem(node.Line(), $"'{Qualified(key)}' must be a single value", "write it as 'key: value'");
        return null;
    }

    public string RequiredString(string key, string fix)
    {
        var v = String(key);
        if (string.IsNullOrWhiteSpace(v))
        {
            if (!Has(key))
                Problem(Line, $"'{Qualified(key)}' is missing", fix);
            else
                Problem(LineOf(key), $"'{Qualified(key)}' is empty", fix);
            return "";
        }
        return v;
    }

    public double? Double(string key, double? min = null, double? max = null)
    {
        var s = String(key);
        if (s is null)
            return null;
        if (!double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d))
        {
            Problem(LineOf(key), $"'{Qualified(key)}' must be a number, not '{s}'", "write a number such as 0.5");
            return null;
        }
        if ((min is { } lo && d < lo) || (max is { } hi && d > hi))
        {
            Problem(
                LineOf(key),
                $"'{Qualified(key)}' = {s} is out of range",
                $"use a value between {min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-inf"} and {max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "inf"}"
            );
            return null;
        }
        return d;
    }

    public int? Int(string key, int? min = null, int? max = null)
    {
        var s = String(key);
        if (s is null)
            return null;
        if (!int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var i))
        {
            Problem(LineOf(key), $"'{Qualified(key)}' must be a whole number, not '{s}'", "write a whole number such as 3");
            return null;
        }
        if ((min is { } lo && i < lo) || (max is { } hi && i > hi))
        {
            Problem(
                LineOf(key),
                $"'{Qualified(key)}' = {s} is out of range",
                $"use a whole number between {min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-inf"} and {max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "inf"}"
            );
            return null;
        }
        return i;
    }

    public bool? Bool(string key)
    {
        var s = String(key);
        if (s is null)
            return null;
        if (bool.TryParse(s, out var b))
            return b;
        Problem(LineOf(key), $"'{Qualified(key)}' must be true or false, not '{s}'", "write true or false");
        return null;
    }

    public YamlSection? Section(string key)
    {
        var node = Raw(key);
        if (node is null)
            return null;
        if (node is YamlMappingNode m)
            return new YamlSection(m, File, Qualified(key), _problems);
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
            return null;
        Problem(node.Line(), $"'{Qualified(key)}' must be a mapping of keys", "indent its keys below it, or write { key: value }");
        return null;
    }

    public IReadOnlyList<(string Value, int Line)>? List(string key)
    {
        var node = Raw(key);
        if (node is null)
            return null;
        if (node is YamlSequenceNode seq)
        {
            var result = new List<(string, int)>();
            foreach (var item in seq.Children)
            {
                if (item is YamlScalarNode s && s.Value is { } v)
                    result.Add((v, item.Line()));
                else
                    Problem(item.Line(), $"'{Qualified(key)}' items must be plain values", "write [a, b, c]");
            }
            return result;
        }
        if (node is YamlScalarNode sc && sc.Value is { Length: > 0 } single)
            return [(single, node.Line())];
        Problem(node.Line(), $"'{Qualified(key)}' must be a list", "write [a, b, c]");
        return null;
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
