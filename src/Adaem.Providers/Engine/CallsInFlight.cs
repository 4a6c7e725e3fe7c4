using Adaem.Storage;

namespace Adaem.Providers.Engine;

/// <summary>
/// How this process waits for a call that another process sharing the store is already making: it
/// polls the store (first after <see cref="FirstPoll"/>, then less often, up to <see cref="MaxPoll"/>)
/// until the answer is cached, or until the claim is released without one or goes stale, when the
/// caller claims the call itself. Polling costs one indexed read; a wait is as long as the other call.
/// </summary>
public sealed record CallsInFlight
{
    public TimeSpan FirstPoll { get; init; } = TimeSpan.FromMilliseconds(20);
    public TimeSpan MaxPoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The answer once another process has cached it; null when the call is free to claim again.</summary>
    public async Task<ModelCallRecord?> WaitAsync(AdaemStore store, string key, LedgerWriter writer, CancellationToken cancellationToken)
    {
        var answered = await WaitAsync(store, [key], writer, cancellationToken).ConfigureAwait(false);
        return answered.TryGetValue(key, out var record) ? record : null;
    }

    /// <summary>
    /// Waits until each of <paramref name="keys"/> is answered by its holder or free to claim; returns the
    /// answered ones (keys missing from the result are free to claim).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ModelCallRecord>> WaitAsync(
        AdaemStore store,
        IReadOnlyCollection<string> keys,
        LedgerWriter writer,
        CancellationToken cancellationToken
    )
    {
        var answered = new Dictionary<string, ModelCallRecord>(StringComparer.Ordinal);
        var waiting = new HashSet<string>(keys, StringComparer.Ordinal);
        var delay = FirstPoll;
        while (waiting.Count > 0)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            foreach (var key in waiting.ToList())
            {
                var peek = store.PeekCall(key);
                if (peek.Cached is { } record)
                    answered[key] = record;
                else if (
                    peek.Claim is { } claim
                    && claim.Token != writer.Token
                    && !writer.Timing.IsStale(claim.HeartbeatAt, DateTimeOffset.UtcNow)
                )
                    continue;
                waiting.Remove(key);
            }
            delay = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, delay.Ticks * 3 / 2));
        }
        return answered;
    }
}
