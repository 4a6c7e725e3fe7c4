using System.Text.Json;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

/// <summary>Asking for a reply in a required format through the real call engine: validation, bounded re-asks
/// as fresh samples, recorded failures, reruns from the cache, and call errors left to the stages.</summary>
public sealed class StructuredReplyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Values(IReadOnlyList<string> Codes);

    /// <summary>Throws on text that is not JSON (a JsonException counts as an unusable reply) and says what is missing otherwise.</summary>
    private static ReplyParse<Values> ParseValues(string text)
    {
        using var doc = JsonDocument.Parse(text);
        if (!doc.RootElement.TryGetProperty("values", out var v) || v.ValueKind != JsonValueKind.Array)
            return ReplyParse<Values>.Failure(
                "expected an object with a \"values\" array",
                ["saw keys: " + string.Join(",", doc.RootElement.EnumerateObject().Select(p => p.Name))]
            );
        return ReplyParse<Values>.Success(new Values(v.EnumerateArray().Select(x => x.GetString()!).ToList()));
    }

    private static ChatOptions SchemaOptions() =>
        new()
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(
                JsonDocument
                    .Parse("""{"type":"object","properties":{"values":{"type":"array","items":{"type":"string"}}},"required":["values"]}""")
                    .RootElement,
                "values"
            ),
        };

    private static Task<ParseOutcome<Values>> Ask(
        IChatClient client,
        string prompt,
        int maxReAsks,
        Func<string, string>? reminder = null,
        int sample = 0
    ) =>
        StructuredReply.AskAsync(
            client,
            EngineHarness.Probe(prompt, ParseValues, SchemaOptions(), reminder),
            EngineHarness.Site(sample),
            maxReAsks,
            Ct
        );

    private static int[] Samples(EngineHarness h) =>
        h.Rows().Select(r => JsonDocument.Parse(r.RequestJson).RootElement.GetProperty("sample").GetInt32()).ToArray();

    [Fact]
    public async Task A_reply_that_ignores_the_schema_is_re_asked_as_a_new_sample_with_a_correction()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Stub.Script = r =>
            r.Number switch
            {
                1 => StubReply.Chat("Sure! The values are power and security."),
                2 => StubReply.Chat("{\"answer\": \"power\"}"),
                _ => StubReply.Chat("{\"values\": [\"power\", \"security\"]}"),
            };

        var outcome = await Ask(h.Pool.Chat("stub"), "judge this", maxReAsks: 3, sample: 7);

        Assert.True(outcome.Ok);
        Assert.Equal(["power", "security"], outcome.Value!.Codes);
        Assert.Equal(3, outcome.Asks);
        Assert.Equal(3, outcome.Replies.Count);
        Assert.Equal(7 + 2 * StructuredReply.ReaskSampleStride, outcome.Sample);
        Assert.NotNull(outcome.CallKey);
        Assert.Equal([7, 1007, 2007], Samples(h));
        // Each re-ask carries every earlier bad reply with a correction naming what was wrong; the schema still travels.
        var third = h.Stub.Requests.Last();
        var messages = third.Body!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("{\"answer\": \"power\"}", messages[3]!["content"]!.GetValue<string>());
        Assert.Contains("\"values\" array", messages[4]!["content"]!.GetValue<string>());
        Assert.Equal("json_schema", third.Body["response_format"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_role_reminder_replaces_the_generic_correction()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Stub.Script = r => r.Number == 1 ? StubReply.Chat("{}") : StubReply.Chat("{\"values\": []}");

        var outcome = await Ask(h.Pool.Chat("stub"), "judge this", maxReAsks: 1, reminder: e => $"REMINDER ({e})");

        Assert.True(outcome.Ok);
        var last = h.Stub.Requests.Last().Body!["messages"]!.AsArray();
        Assert.Equal("REMINDER (expected an object with a \"values\" array)", last[^1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_that_never_complies_ends_in_a_recorded_parse_failure_and_a_rerun_asks_nothing()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Stub.Script = _ => StubReply.Chat("{\"answer\": \"I would rather not list values.\"}");

        var outcome = await Ask(h.Pool.Chat("stub"), "judge this", maxReAsks: 2);

        Assert.False(outcome.Ok);
        Assert.Null(outcome.Value);
        Assert.Equal(3, outcome.Asks);
        Assert.All(outcome.Replies, r => Assert.Equal("{\"answer\": \"I would rather not list values.\"}", r));
        Assert.Equal("expected an object with a \"values\" array (after 2 re-asks)", outcome.Error);
        // The parser's notes on the last reply survive the failure.
        Assert.Equal(["saw keys: answer"], outcome.Parse.Notes);
        Assert.NotNull(outcome.CallKey);
        Assert.Equal(3, h.Stub.Count);
        Assert.Equal([0, 1000, 2000], Samples(h));

        using var rerun = h.NewPool();
        var again = await Ask(rerun.Chat("stub"), "judge this", maxReAsks: 2);
        Assert.False(again.Ok);
        Assert.Equal(outcome.Error, again.Error);
        Assert.Equal(outcome.CallKey, again.CallKey);
        Assert.Equal(3, h.Stub.Count);
    }

    [Fact]
    public async Task Call_errors_propagate_to_the_stage_after_the_engine_retries_whether_or_not_they_stop_the_run()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 1");
        h.Stub.Script = r => r.Prompt == "quota" ? StubReply.Error(402, "pay up", "insufficient_quota") : StubReply.Error(500);

        var failed = await Assert.ThrowsAsync<ModelCallException>(() => Ask(h.Pool.Chat("stub"), "boom", maxReAsks: 2));
        Assert.False(failed.StopsRun);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal(2, h.Stub.Count); // the engine's two attempts; a call error is not answered with a re-ask

        var stop = await Assert.ThrowsAsync<ModelCallException>(() => Ask(h.Pool.Chat("stub"), "quota", maxReAsks: 2));
        Assert.True(stop.StopsRun);
    }

    [Fact]
    public void Sample_indices_keep_repeats_re_asks_and_blocks_apart()
    {
        Assert.Equal(0, StructuredReply.Sample(0, 0));
        Assert.Equal(999, StructuredReply.Sample(0, 999));
        Assert.Equal(3 * StructuredReply.SampleBlock + 7, StructuredReply.Sample(3, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuredReply.Sample(0, StructuredReply.ReaskSampleStride));
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuredReply.Sample(-1, 0));
        Assert.Equal(0, StructuredReply.ReAskOf(StructuredReply.Sample(5, 42)));
        Assert.Equal(
            StructuredReply.MaxReAsksLimit,
            StructuredReply.ReAskOf(StructuredReply.Sample(5, 42) + StructuredReply.MaxReAsksLimit * StructuredReply.ReaskSampleStride)
        );

        // Every (block, repeat, re-ask) has its own index.
        var seen = new HashSet<int>();
        for (var block = 0; block < 30; block++)
        for (var repeat = 0; repeat < StructuredReply.ReaskSampleStride; repeat += 37)
        for (var r = 0; r <= StructuredReply.MaxReAsksLimit; r++)
            Assert.True(seen.Add(StructuredReply.Sample(block, repeat) + r * StructuredReply.ReaskSampleStride));
    }

    [Fact]
    public async Task A_re_ask_index_or_too_many_re_asks_is_refused_before_any_call()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Stub.Script = _ => StubReply.Chat("{\"values\": []}");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Ask(h.Pool.Chat("stub"), "x", maxReAsks: 1, sample: StructuredReply.ReaskSampleStride)
        );
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Ask(h.Pool.Chat("stub"), "x", maxReAsks: StructuredReply.MaxReAsksLimit + 1)
        );
        Assert.Equal(0, h.Stub.Count);
    }
}
