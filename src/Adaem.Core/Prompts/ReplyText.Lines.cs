using System.Text.Json;
using System.Text.RegularExpressions;

namespace Adaem.Core.Prompts;

/// <summary>
/// Small text helpers shared by the parsers of this folder: models wrap answers in markdown, code fences
/// and polite chatter, and the parsers should see through all of it the same way.
/// </summary>
internal static partial class ReplyText
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Removes emphasis, inline code, heading and quote marks from one line; keeps list markers.</summary>
    public static string StripMarkdown(string line)
    {
        var s = Normalize(line)
            .Replace("**", "", StringComparison.Ordinal)
            .Replace("__", "", StringComparison.Ordinal)
            .Replace("`", "", StringComparison.Ordinal);
        s = HeadingOrQuote().Replace(s, "");
        // A single '*' or '_' is emphasis unless it is the line's list bullet ("* point").
        var bullet = BulletStar().Match(s);
        var head = bullet.Success ? bullet.Value : "";
        var rest = s[head.Length..].Replace("*", "", StringComparison.Ordinal);
        rest = Underscore().Replace(rest, "");
        return head + rest;
    }

    /// <summary>The reply's lines with code fences dropped and markdown stripped, CRs removed.</summary>
    public static List<string> Lines(string reply)
    {
        var lines = new List<string>();
        foreach (var raw in Normalize(reply).Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal))
                continue;
            lines.Add(StripMarkdown(raw).TrimEnd());
        }
        return lines;
    }

    /// <summary>
    /// Finds the JSON object (or array) in a reply that may wrap it in a code fence or sentences.
    /// Tries the whole text, then the outermost braces, then every opening brace in turn.
    /// </summary>
    public static JsonElement? ExtractJson(string reply)
    {
        var text = Normalize(reply).Trim();
        if (TryParse(text) is { } whole)
            return whole;
        var fence = Fence().Match(text);
        if (fence.Success && TryParse(fence.Groups[1].Value) is { } fenced)
            return fenced;
        foreach (var (open, close) in new[] { ('{', '}'), ('[', ']') })
        {
            var first = text.IndexOf(open);
            var last = text.LastIndexOf(close);
            if (first >= 0 && last > first && TryParse(text[first..(last + 1)]) is { } outer)
                return outer;
        }
        for (var i = text.IndexOf('{'); i >= 0; i = text.IndexOf('{', i + 1))
        {
            if (TryParsePrefix(text.AsSpan(i)) is { } inner)
                return inner;
        }
        return null;
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, Lenient);
            return doc.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Parses the first complete JSON value at the start of <paramref name="text"/>, ignoring what follows.</summary>
    private static JsonElement? TryParsePrefix(ReadOnlySpan<char> text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToArray());
        var options = new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };
        var reader = new Utf8JsonReader(bytes, options);
        try
        {
            if (JsonDocument.TryParseValue(ref reader, out var doc))
            {
                using (doc)
                    return doc.RootElement.Clone();
            }
        }
        catch (JsonException) { }
        return null;
    }

    /// <summary>Lower case, letters and digits only: "Self-Direction" and "self_direction" both become "selfdirection".</summary>
    public static string Fold(string s)
    {
        Span<char> buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        var n = 0;
        foreach (var c in s)
        {
            if (char.IsLetterOrDigit(c))
                buffer[n++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..n]);
    }

    [GeneratedRegex(@"^\s*(?:#{1,6}\s+|>\s?)+")]
    private static partial Regex HeadingOrQuote();

    [GeneratedRegex(@"^\s*\*\s+")]
    private static partial Regex BulletStar();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])")]
    private static partial Regex Underscore();

    [GeneratedRegex(@"```[a-zA-Z]*\s*\n?(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();
}
