using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Foundation;

public class CallKeyTests
{
    private static readonly CallIdentity Id = new("openai-compatible", "http://127.0.0.1:8000/v1", "qwen", 0, "opinion@v1");

    private static ChatMessage[] Messages() => [new(ChatRole.System, "be brief"), new(ChatRole.User, "Should zoos exist?")];

    [Fact]
    public void Same_json_in_different_key_order_or_whitespace_gives_the_same_key()
    {
        var a = """{"model":"m","messages":[{"role":"user","text":"hi"}],"options":{"temperature":1,"top_p":0.95}}""";
        var b = """
            {
              "options": { "top_p": 0.95,   "temperature": 1.0 },
              "messages": [ { "text": "hi", "role": "user" } ],
              "model": "m"
            }
            """;
        Assert.Equal(CallKey.FromJson(a), CallKey.FromJson(b));
        Assert.NotEqual(CallKey.FromJson(a), CallKey.FromJson(a.Replace("hi", "hi ")));
    }

    [Fact]
    public void Options_set_in_any_order_give_the_same_key()
    {
        var o1 = new ChatOptions
        {
            Temperature = 1.0f,
            TopP = 0.95f,
            MaxOutputTokens = 300,
            Seed = 7,
        };
        var o2 = new ChatOptions
        {
            Seed = 7,
            MaxOutputTokens = 300,
            TopP = 0.95f,
            Temperature = 1.0f,
        };
        Assert.Equal(CallKey.Compute(Id, Messages(), o1), CallKey.Compute(Id, Messages(), o2));
    }

    [Fact]
    public void Schemas_with_reordered_properties_give_the_same_key()
    {
        var s1 = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"number"}}}""").RootElement;
        var s2 = JsonDocument
            .Parse("""{ "properties": { "b": {"type":"number"}, "a": {"type":"string"} }, "type": "object" }""")
            .RootElement;
        var k1 = CallKey.Compute(Id, Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(s1, "r") });
        var k2 = CallKey.Compute(Id, Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(s2, "r") });
        Assert.Equal(k1, k2);
        Assert.NotEqual(k1, CallKey.Compute(Id, Messages(), null));
    }

    [Fact]
    public void Sample_index_model_prompt_version_and_text_each_change_the_key()
    {
        var baseKey = CallKey.Compute(Id, Messages(), null);
        Assert.NotEqual(baseKey, CallKey.Compute(Id with { SampleIndex = 1 }, Messages(), null));
        Assert.NotEqual(baseKey, CallKey.Compute(Id with { Model = "llama" }, Messages(), null));
        Assert.NotEqual(baseKey, CallKey.Compute(Id with { PromptSchemaVersion = "opinion@v2" }, Messages(), null));
        Assert.NotEqual(baseKey, CallKey.Compute(Id, [new(ChatRole.User, "Should zoos exist?")], null));
        Assert.NotEqual(baseKey, CallKey.Compute(Id, Messages(), new ChatOptions { Temperature = 0.5f }));
    }

    [Fact]
    public void Adaem_run_and_stage_do_not_change_the_key_so_runs_share_the_cache()
    {
        var ctxA = new Adaem.Core.Models.CallContext("run-a", "evaluate", "opinion", "v1").Apply();
        var ctxB = new Adaem.Core.Models.CallContext("run-b", "generate", "opinion", "v1").Apply();
        Assert.Equal(CallKey.Compute(Id, Messages(), ctxA), CallKey.Compute(Id, Messages(), ctxB));
    }

    [Fact]
    public void Credentials_in_the_endpoint_never_reach_the_request_text()
    {
        var withUser = Id with { Endpoint = "https://user:s3cret@example.test/v1" };
        var text = CallKey.CanonicalRequest(withUser, Messages(), null);
        Assert.DoesNotContain("s3cret", text);
        Assert.Equal(
            CallKey.Compute(withUser, Messages(), null),
            CallKey.Compute(withUser with { Endpoint = "https://other:pw@example.test/v1" }, Messages(), null)
        );
    }

    /// <summary>
    /// Strings and whole numbers are written straight, not serialised and parsed again; the canonical text, and so
    /// every cache key in existing stores, must stay what the round trip gave. Checked against that round trip.
    /// </summary>
    [Fact]
    public void Writing_strings_and_numbers_directly_gives_the_canonical_text_the_round_trip_gave()
    {
        string[] texts =
        [
            "",
            "plain",
            "quote \" and backslash \\ and slash /",
            "tab\tnew line\ncarriage\rform\fbell\u0007 nul\u0000",
            "<html> & 'single' +",
            "café naïve Ünïcödé",
            "中文问题：动物园应该存在吗？",
            "line\u2028separator\u2029",
            "emoji 🙂 pair",
            "lone \ud83d surrogate",
            "\u007f delete \u0080 c1",
            new string('x', 5000),
        ];
        var random = new Random(12);
        var node = new JsonObject
        {
            ["texts"] = new JsonArray([.. texts.Select(t => (JsonNode?)t)]),
            ["ints"] = new JsonArray([.. new[] { 0, 1, -1, 300, int.MaxValue, int.MinValue }.Select(i => (JsonNode?)i)]),
            ["floats"] = new JsonArray([.. new[] { 0.7f, 1.0f, 0.95f }.Select(f => (JsonNode?)f)]),
            ["doubles"] = new JsonArray([.. new[] { 0.1, 1e21, -2.5 }.Select(d => (JsonNode?)d)]),
            ["longs"] = new JsonArray([.. new[] { 9007199254740993L, 5L }.Select(l => (JsonNode?)l)]),
            ["random"] = new JsonArray([
                .. Enumerable
                    .Range(0, 200)
                    .Select(_ => (JsonNode?)new string([.. Enumerable.Range(0, 40).Select(_ => (char)random.Next(0, 0x3000))])),
            ]),
            ["parsed"] = JsonNode.Parse("""{"b": "x\u00e9\n", "a": [1, 1.0, 1e0, 12345678901, true, null, "\ud83d\ude42"]}"""),
            ["flag"] = true,
        };
        Assert.Equal(RoundTrip(node), CanonicalJson.Write(node));
    }

    /// <summary>The canonical writer as it was before the shortcut: every value serialised and parsed again.</summary>
    private static string RoundTrip(JsonNode? node)
    {
        var buffer = new MemoryStream();
        using (
            var w = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            )
        )
            Write(w, node);
        return Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(Utf8JsonWriter w, JsonNode? node)
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
                        Write(w, v);
                    }
                    w.WriteEndObject();
                    break;
                case JsonArray a:
                    w.WriteStartArray();
                    foreach (var item in a)
                        Write(w, item);
                    w.WriteEndArray();
                    break;
                case JsonValue v:
                    using (var doc = JsonDocument.Parse(v.ToJsonString()))
                    {
                        if (doc.RootElement.ValueKind == JsonValueKind.Number)
                            w.WriteNumberValue(doc.RootElement.GetDouble());
                        else
                            doc.RootElement.WriteTo(w);
                    }
                    break;
            }
        }
    }
}
