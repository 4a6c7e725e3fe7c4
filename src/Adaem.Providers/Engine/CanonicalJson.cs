using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Adaem.Providers.Engine;

/// <summary>
/// A canonical JSON form: object keys sorted ordinally at every depth, no insignificant whitespace,
/// numbers in their shortest round-trip form. Two documents that differ only in key order or
/// formatting have the same canonical text, so hashes over it are stable across runs and machines.
/// </summary>
internal static class CanonicalJson
{
    public static string Canonicalize(string json) => Write(JsonNode.Parse(json));

    public static string Write(JsonNode? node)
    {
        var buffer = new MemoryStream();
        using (
            var writer = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            )
        )
        {
            WriteNode(writer, node);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonObject o:
                w.WriteStartObject();
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(k);
                    WriteNode(w, v);
                }
                w.WriteEndObject();
                break;
            case JsonArray a:
                w.WriteStartArray();
                foreach (var item in a)
                    WriteNode(w, item);
                w.WriteEndArray();
                break;
            case JsonValue v when v.TryGetValue<string>(out var text) && !text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'):
                // A string (the prompts' texts, the bulk of a request) is written as it is: the same text as the round
                // trip below gives, without serialising and parsing it again. Surrogates take the round trip.
                w.WriteStringValue(text);
                break;
            case JsonValue v when v.TryGetValue<int>(out var integer):
                w.WriteNumberValue((double)integer);
                break;
            case JsonValue v:
                // Values built in code wrap CLR primitives, parsed ones wrap elements: read both the same way.
                using (var doc = JsonDocument.Parse(v.ToJsonString()))
                {
                    var element = doc.RootElement;
                    if (element.ValueKind == JsonValueKind.Number)
                    {
                        // 1, 1.0 and 1e0 are one number; write the double's shortest round-trip form.
                        w.WriteNumberValue(element.GetDouble());
                    }
                    else
                    {
                        element.WriteTo(w);
                    }
                }
                break;
        }
    }
}
