using System.Text.Json;
using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>Tolerant access to a prompt role's input fields (CallContext.Fields): a missing or mistyped field reads as absent.</summary>
internal readonly struct FieldReader(JsonElement? fields)
{
    private JsonElement? Get(string name) =>
        fields is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v
            : null;

    public string? String(string name) =>
        Get(name) is { } v
            ? v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : v.GetRawText()
            : null;

    public int? Int(string name) => Get(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

    public double? Double(string name) => Get(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    public IReadOnlyList<string> Strings(string name) =>
        Get(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(Text).ToList() : [];

    /// <summary>Objects of an array field, e.g. responses or examples.</summary>
    public IReadOnlyList<FieldReader> Objects(string name) =>
        Get(name) is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => new FieldReader(e)).ToList()
            : [];

    /// <summary>A {code, name, definition} object, or null.</summary>
    public (string Code, string Name, string Definition)? Value(string name) => Get(name) is { } v ? AsValue(v) : null;

    /// <summary>An array of {code, name, definition}; the theory's values when absent.</summary>
    public IReadOnlyList<(string Code, string Name, string Definition)> Values(string name, ValueTheory fallback) =>
        Values(name, fallback.Values.Select(v => (v.Code, v.Name, v.Definition)).ToList());

    /// <summary>An array of {code, name, definition}; <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<(string Code, string Name, string Definition)> Values(
        string name,
        IReadOnlyList<(string Code, string Name, string Definition)> fallback
    )
    {
        if (Get(name) is { ValueKind: JsonValueKind.Array } a)
        {
            var list = a.EnumerateArray().Select(AsValue).OfType<(string, string, string)>().ToList();
            if (list.Count > 0)
                return list;
        }
        return fallback;
    }

    private static (string Code, string Name, string Definition)? AsValue(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String)
            return e.GetString() is { Length: > 0 } s ? (s, s, "") : null;
        if (e.ValueKind != JsonValueKind.Object)
            return null;
        string? S(string k) => e.TryGetProperty(k, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var code = S("code");
        return code is null ? null : (code, S("name") ?? code, S("definition") ?? "");
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText();
}
