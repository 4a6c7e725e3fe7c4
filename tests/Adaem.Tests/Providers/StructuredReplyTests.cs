using System.Text.Json;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>Asking for a reply in a required format: validation, bounded re-asks, recorded failures.</summary>
public sealed class StructuredReplyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Values(IReadOnlyList<string> Codes);

    private static Values? ParseValues(string text)
    {
        using var doc = JsonDocument.Parse(text);
        if (!doc.RootElement.TryGetProperty("values", out var v) || v.ValueKind != JsonValueKind.Array)
            throw new FormatException("expected an object with a \"values\" array");
        return new Values(v.EnumerateArray().Select(x => x.GetString()!).ToList());
    }

    private static ChatOptions SchemaOptions() => new()
    {
        ResponseFormat = ChatResponseFormat.ForJsonSchema(
            JsonDocument.Parse("""{"type":"object","properties":{"values":{"type":"array","items":{"type":"string"}}},"required":["values"]}""").RootElement,
            "values"),
    };

    [Fact]
    public async Task A_reply_that_ignores_the_schema_is_re_asked_as_a_new_sample_with_a_correction()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Stub.Script = r => r.Number switch
        {
            1 => StubReply.Chat("Sure! The values are power and security."),
            2 => StubReply.Chat("{\"answer\": \"power\"}"),
            _ => StubReply.Chat("{\"values\": [\"power\", \"security\"]}"),
        };

        var outcome = await StructuredReply.AskAsync(h.Pool.Chat("stub"), [new ChatMessage(ChatRole.User, "judge this")],
            EngineHarness.Context(), SchemaOptions(), ParseValues, maxReasks: 3, Ct);

        Assert.True(outcome.Ok);
        Assert.Equal(["power", "security"], outcome.Value!.Codes);
        Assert.Equal(3, outcome.Asks);
        Assert.Equal(3, outcome.Replies.Count);
        Assert.Equal(2 * StructuredReply.ReaskSampleStride, outcome.Sample);
        var samples = h.Rows().Select(r => JsonDocument.Parse(r.RequestJson).RootElement.GetProperty("sample").GetInt32());
        Assert.Equal([0, 1000, 2000], samples);
        // Re-asks carry the bad reply and a short correction; the schema still travels.
        var third = h.Stub.Requests.Last();
        var messages = third.Body!["messages"]!.AsArray();
        Assert.Equal(3, messages.Count);
        Assert.Equal("assistant", messages[1]!["role"]!.GetValue<string>());
        Assert.Contains("\"values\" array", third.Prompt);
        Assert.Equal("json_schema", third.Body["response_format"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_that_never_complies_ends_in_a_recorded_parse_failure_and_a_rerun_asks_nothing()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Stub.Script = _ => StubReply.Chat("I would rather not answer in JSON.");

        var outcome = await StructuredReply.AskAsync(h.Pool.Chat("stub"), [new ChatMessage(ChatRole.User, "judge this")],
            EngineHarness.Context(), SchemaOptions(), ParseValues, maxReasks: 2, Ct);

        Assert.Equal(ParseStatus.ParseFailed, outcome.Status);
        Assert.Null(outcome.Value);
        Assert.Equal(3, outcome.Asks);
        Assert.All(outcome.Replies, r => Assert.Equal("I would rather not answer in JSON.", r));
        Assert.NotNull(outcome.Error);
        Assert.NotNull(outcome.CallKey);
        Assert.Equal(3, h.Stub.Count);

        using var rerun = h.NewPool();
        var again = await StructuredReply.AskAsync(rerun.Chat("stub"), [new ChatMessage(ChatRole.User, "judge this")],
            EngineHarness.Context(), SchemaOptions(), ParseValues, maxReasks: 2, Ct);
        Assert.Equal(ParseStatus.ParseFailed, again.Status);
        Assert.Equal(3, h.Stub.Count);
    }

    [Fact]
    public async Task A_failed_call_is_a_call_failure_outcome_but_quota_stops_the_run()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 0");
        h.Stub.Script = r => r.Prompt == "quota" ? StubReply.Error(402, "pay up", "insufficient_quota") : StubReply.Error(500);

        var failed = await StructuredReply.AskAsync(h.Pool.Chat("stub"), [new ChatMessage(ChatRole.User, "boom")],
            EngineHarness.Context(), null, ParseValues, maxReasks: 2, Ct);
        Assert.Equal(ParseStatus.CallFailed, failed.Status);
        Assert.Equal(1, failed.Asks);
        Assert.Contains("ServerError", failed.Error);

        var stop = await Assert.ThrowsAsync<ModelCallException>(() => StructuredReply.AskAsync(h.Pool.Chat("stub"),
            [new ChatMessage(ChatRole.User, "quota")], EngineHarness.Context(), null, ParseValues, maxReasks: 2, Ct));
        Assert.True(stop.StopsRun);
    }
}
