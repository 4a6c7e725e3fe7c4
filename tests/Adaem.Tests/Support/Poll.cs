namespace Adaem.Tests.Support;

/// <summary>Waiting for another process without sleeping as synchronisation: check a condition often, with a deadline.</summary>
public static class Poll
{
    /// <summary>
    /// Returns once <paramref name="condition"/> holds; fails with <paramref name="what"/> when the deadline passes
    /// or when <paramref name="gone"/> (e.g. the child's exit) completes first.
    /// </summary>
    public static async Task UntilAsync(
        Func<bool> condition,
        string what,
        Task? gone = null,
        TimeSpan? deadline = null,
        Func<string>? details = null
    )
    {
        var ct = TestContext.Current.CancellationToken;
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(120));
        while (!condition())
        {
            if (gone is { IsCompleted: true })
                Assert.Fail($"gave up waiting for {what}: the process ended first. {details?.Invoke()}");
            if (DateTime.UtcNow > end)
                Assert.Fail(
                    $"gave up waiting for {what} after {(deadline ?? TimeSpan.FromSeconds(120)).TotalSeconds} s. {details?.Invoke()}"
                );
            await Task.Delay(25, ct);
        }
    }
}
