using System.Text.Json;
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
        var o1 = new ChatOptions { Temperature = 1.0f, TopP = 0.95f, MaxOutputTokens = 300, Seed = 7 };
        var o2 = new ChatOptions { Seed = 7, MaxOutputTokens = 300, TopP = 0.95f, Temperature = 1.0f };
        Assert.Equal(CallKey.Compute(Id, Messages(), o1), CallKey.Compute(Id, Messages(), o2));
    }

    [Fact]
    public void Schemas_with_reordered_properties_give_the_same_key()
    {
        var s1 = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"number"}}}""").RootElement;
        var s2 = JsonDocument.Parse("""{ "properties": { "b": {"type":"number"}, "a": {"type":"string"} }, "type": "object" }""").RootElement;
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
        Assert.Equal(CallKey.Compute(withUser, Messages(), null), CallKey.Compute(withUser with { Endpoint = "https://other:pw@example.test/v1" }, Messages(), null));
    }
}
