using Adaem.Providers.Engine;

namespace Adaem.Tests.Providers;

public class CallCountersTests
{
    [Fact]
    public async Task Snapshots_are_safe_while_workers_count_calls_of_models_seen_for_the_first_time()
    {
        var counters = new CallCounters();
        const int workers = 4,
            modelsEach = 3000;
        using var done = new CancellationTokenSource();
        var reader = Task.Run(
            () =>
            {
                var reads = 0;
                while (!done.IsCancellationRequested)
                {
                    var total = counters.Total("generate");
                    Assert.InRange(total.Calls, 0, workers * modelsEach);
                    reads++;
                }
                return reads;
            },
            TestContext.Current.CancellationToken
        );
        await Task.WhenAll(
            Enumerable
                .Range(0, workers)
                .Select(w =>
                    Task.Run(
                        () =>
                        {
                            for (var m = 0; m < modelsEach; m++)
                                counters.Called("generate", $"w{w}-m{m}", 10, 5, null);
                        },
                        TestContext.Current.CancellationToken
                    )
                )
        );
        await done.CancelAsync();
        Assert.True(await reader > 0);
        var final = counters.Total("generate");
        Assert.Equal(workers * modelsEach, final.Calls);
        Assert.Equal(workers * modelsEach * 15L, final.InputTokens + final.OutputTokens);
        Assert.Null(final.Cost);
    }
}
