using Adaem.Core.Models;
using Microsoft.Extensions.AI;
using Xunit;

namespace Adaem.Tests.Providers;

public sealed class EmbeddingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmbeddingGenerationOptions Stage() =>
        new()
        {
            AdditionalProperties = new AdditionalPropertiesDictionary { [CallContext.RunKey] = "r1", [CallContext.StageKey] = "dedup" },
        };

    [Fact]
    public async Task Each_text_is_embedded_once_and_served_from_the_store_afterwards()
    {
        await using var h = await EngineHarness.StartAsync();
        var generator = h.Pool.Embeddings("stub")!;

        var first = await generator.GenerateAsync(["alpha", "beta", "alpha"], Stage(), Ct);
        var second = await h.NewPool().Embeddings("stub")!.GenerateAsync(["beta", "gamma", "alpha"], Stage(), Ct);

        Assert.Equal(3, first.Count);
        Assert.Equal(OpenAIStub.VectorOf("alpha"), first[0].Vector.ToArray());
        Assert.Equal(OpenAIStub.VectorOf("beta"), first[1].Vector.ToArray());
        Assert.Equal(first[0].Vector.ToArray(), first[2].Vector.ToArray());
        Assert.Equal(OpenAIStub.VectorOf("gamma"), second[1].Vector.ToArray());
        Assert.Equal(first[0].Vector.ToArray(), second[2].Vector.ToArray());
        // One batch with the two distinct texts, then one with the only new text.
        Assert.Equal(2, h.Stub.Count);
        Assert.Equal(
            [
                ["alpha", "beta"],
                ["gamma"],
            ],
            h.Stub.Requests.Select(r => r.Inputs.ToArray())
        );
        Assert.DoesNotContain("adaem", h.Stub.Requests.First().RawBody);
        Assert.All(h.Rows(), r => Assert.Equal("dedup", r.Stage));
        Assert.Equal(3, h.Store.CountCalls());
    }

    [Fact]
    public async Task A_failing_embedding_batch_is_retried_through_the_same_retry_layer()
    {
        await using var h = await EngineHarness.StartAsync("max_retries: 2");
        h.Stub.Script = r => r.Number == 1 ? StubReply.Error(503, retryAfter: "2") : OpenAIStub.Default(r);

        var result = await h.Pool.Embeddings("stub")!.GenerateAsync(["alpha"], Stage(), Ct);

        Assert.Equal(OpenAIStub.VectorOf("alpha"), result[0].Vector.ToArray());
        Assert.Equal([TimeSpan.FromSeconds(2)], h.Delays);
        Assert.Equal([true, false], h.Rows().Select(r => r.Error is not null));
    }

    [Fact]
    public async Task Concurrent_callers_with_overlapping_texts_embed_each_text_once()
    {
        await using var h = await EngineHarness.StartAsync("concurrency: 8");
        var open = new TaskCompletionSource();
        h.Stub.Script = r => OpenAIStub.Default(r) with { Gate = open.Task };
        var generator = h.Pool.Embeddings("stub")!;

        // The first caller leads "alpha" and "beta" and is held at the provider; the others need them too.
        var first = generator.GenerateAsync(["alpha", "beta"], Stage(), Ct);
        await h.Stub.WaitForRequestsAsync(1, Ct);
        var second = generator.GenerateAsync(["beta", "gamma"], Stage(), Ct);
        var third = generator.GenerateAsync(["alpha"], Stage(), Ct);
        await h.Stub.WaitForRequestsAsync(2, Ct); // "gamma" alone: "beta" is followed, not asked
        open.SetResult();
        var results = await Task.WhenAll(first, second, third);

        Assert.Equal(
            [
                ["alpha", "beta"],
                ["gamma"],
            ],
            h.Stub.Requests.Select(r => r.Inputs.ToArray())
        );
        Assert.Equal(OpenAIStub.VectorOf("beta"), results[1][0].Vector.ToArray());
        Assert.Equal(OpenAIStub.VectorOf("gamma"), results[1][1].Vector.ToArray());
        Assert.Equal(OpenAIStub.VectorOf("alpha"), results[2][0].Vector.ToArray());
        Assert.Equal(3, h.Store.CountCalls(includeErrors: true));
        var total = h.Pool.Counters.Total();
        Assert.Equal(3, total.Calls);
        Assert.Equal(2, total.CacheHits);
    }
}
