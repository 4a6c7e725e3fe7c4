using System.Text.Json;

namespace Adaem.Core.Prompts;

/// <summary>
/// JSON of the plain values prompts are built from (dictionaries with string keys, lists, strings, numbers,
/// booleans), written directly: the same text <see cref="JsonSerializer"/> writes with its default options,
/// without the reflection it spends on its first use of each type, which delayed the first model call of a
/// stage. Any other value is handed to <see cref="JsonSerializer"/> as before.
/// </summary>
internal static class PlainJson
{
    /// <summary>The value as a JSON element, as <c>JsonSerializer.SerializeToElement(value)</c> makes it.</summary>
    public static JsonElement ToElement(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case IDictionary<string, object> d:
                WriteObject(w, d);
                break;
            case IDictionary<string, string> d:
                w.WriteStartObject();
                foreach (var (k, v) in d)
                    w.WriteString(k, v);
                w.WriteEndObject();
                break;
            case IEnumerable<string> strings:
                w.WriteStartArray();
                foreach (var s in strings)
                    w.WriteStringValue(s);
                w.WriteEndArray();
                break;
            case IEnumerable<IDictionary<string, string>> dictionaries:
                w.WriteStartArray();
                foreach (var item in dictionaries)
                    Write(w, item);
                w.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(w, value, value.GetType());
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter w, IDictionary<string, object> d)
    {
        w.WriteStartObject();
        foreach (var (k, v) in d)
        {
            w.WritePropertyName(k);
            Write(w, v);
        }
        w.WriteEndObject();
    }
}
