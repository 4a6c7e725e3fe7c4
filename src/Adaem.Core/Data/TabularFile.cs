using System.Text;
using System.Text.Json;
using Adaem.Core.Errors;

namespace Adaem.Core.Data;

/// <summary>One record of a JSONL, CSV or TSV file, with the line it starts on.</summary>
public sealed record TabularRow(int Line, IReadOnlyDictionary<string, string> Fields)
{
    public string? Get(string name) => Fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>JSONL only: the JSON kind of each field as written (CSV and TSV cells are all text).</summary>
    public IReadOnlyDictionary<string, JsonValueKind>? JsonKinds { get; init; }

    /// <summary>
    /// What a field holds when it is neither text nor null ("a number", "a list", ...), else null: a JSONL
    /// record such as {"question": 5} is refused rather than turned into the text "5".
    /// </summary>
    public string? NotText(string name) =>
        JsonKinds is not null && JsonKinds.TryGetValue(name, out var kind) && kind is not (JsonValueKind.String or JsonValueKind.Null)
            ? kind switch
            {
                JsonValueKind.Number => "a number",
                JsonValueKind.True or JsonValueKind.False => "true/false",
                JsonValueKind.Array => "a list",
                JsonValueKind.Object => "an object",
                _ => kind.ToString(),
            }
            : null;

    /// <summary>Throws when any of <paramref name="names"/> is present and holds something other than text.</summary>
    public void RequireText(string path, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (NotText(name) is { } found)
                throw new InputException(
                    path,
                    Line,
                    $"{name} must be a string, not {found}",
                    $"write it in quotes, e.g. \"{name}\": \"...\""
                );
        }
    }
}

/// <summary>
/// Reads user data files (questions, seeds, baselines) as rows of named string fields. JSONL: one object a
/// line (nested values kept as JSON text). CSV/TSV: a header row, RFC 4180 quoting. Every problem is an
/// InputException naming the file and line.
/// </summary>
public static class TabularFile
{
    public static IReadOnlyList<TabularRow> Read(string path)
    {
        if (!File.Exists(path))
            throw new InputException(path, null, "file not found", "check the path");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var text = Utf8Text.Read(path);
        return ext switch
        {
            ".jsonl" or ".json" or ".ndjson" => ReadJsonLines(text, path),
            ".tsv" or ".tab" => ReadDelimited(text, path, '\t'),
            ".csv" => ReadDelimited(text, path, ','),
            _ => throw new InputException(path, null, $"unknown file type '{ext}'", "use .jsonl, .csv or .tsv"),
        };
    }

    public static IReadOnlyList<TabularRow> ReadJsonLines(string text, string path)
    {
        var rows = new List<TabularRow>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0)
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new InputException(
                        path,
                        lineNo,
                        "each line must be a JSON object",
                        "write one {\"question\": ...} object per line"
                    );
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                var kinds = new Dictionary<string, JsonValueKind>(StringComparer.Ordinal);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    fields[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString()!,
                        JsonValueKind.Null => "",
                        _ => p.Value.GetRawText(),
                    };
                    kinds[p.Name] = p.Value.ValueKind;
                }
                rows.Add(new TabularRow(lineNo, fields) { JsonKinds = kinds });
            }
            catch (JsonException e)
            {
                throw new InputException(
                    path,
                    lineNo,
                    $"not valid JSON: {e.Message}",
                    "fix or remove that line; each line must be one JSON object"
                );
            }
        }
        return rows;
    }

    public static IReadOnlyList<TabularRow> ReadDelimited(string text, string path, char delimiter)
    {
        var records = SplitRecords(text, path, delimiter);
        if (records.Count == 0)
            return [];
        var (headerLine, header) = records[0];
        var names = header.Select(h => h.Trim()).ToArray();
        var rows = new List<TabularRow>();
        foreach (var (line, cells) in records.Skip(1))
        {
            if (cells.Count == 1 && cells[0].Length == 0)
                continue;
            if (cells.Count != names.Length)
                throw new InputException(
                    path,
                    line,
                    $"expected {names.Length} fields (as in the header on line {headerLine}), found {cells.Count}",
                    delimiter == ',' ? "quote fields that contain commas with \"...\"" : "check for stray tab characters"
                );
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
                fields[names[i]] = cells[i];
            rows.Add(new TabularRow(line, fields));
        }
        return rows;
    }

    private static List<(int Line, List<string> Cells)> SplitRecords(string text, string path, char d)
    {
        var result = new List<(int, List<string>)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                {
                    if (c == '\n')
                        line++;
                    cell.Append(c);
                }
                continue;
            }
            if (c == '"' && cell.Length == 0)
                quoted = true;
            else if (c == d)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r') { }
            else if (c == '\n')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                result.Add((start, cells));
                cells = [];
                line++;
                start = line;
            }
            else
                cell.Append(c);
        }
        if (quoted)
            throw new InputException(path, start, "a quoted field is never closed", "add the closing \"");
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            result.Add((start, cells));
        }
        return result;
    }
}
