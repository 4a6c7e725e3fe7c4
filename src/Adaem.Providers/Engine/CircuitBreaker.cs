namespace Adaem.Providers.Engine;

/// <summary>When a replica that keeps failing is rested, and for how long.</summary>
public sealed record BreakerOptions
{
    /// <summary>Failed attempts in a row (server errors, timeouts, refused connections, unusable replies) that rest a replica.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>The first rest; each failed probe after a rest doubles it.</summary>
    public TimeSpan Rest { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest rest, so a replica that comes back is found within this time.</summary>
    public TimeSpan MaxRest { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The circuit breaker of one replica. Closed, it takes calls and counts failures in a row; at
/// <see cref="BreakerOptions.FailureThreshold"/> it opens and the replica rests. When the rest is over it is
/// half-open: one call at a time probes it. A probe that succeeds closes the breaker (and resets the rest);
/// one that fails rests the replica again for twice as long, up to <see cref="BreakerOptions.MaxRest"/>. Any
/// success closes it. Not thread-safe: <see cref="ReplicaRouter"/> calls it under its lock.
/// </summary>
internal sealed class CircuitBreaker(BreakerOptions options)
{
    private int _failuresInARow;
    private TimeSpan _rest = options.Rest;
    private bool _probing;

    /// <summary>Until when the replica rests; null while the breaker is closed.</summary>
    public DateTimeOffset? RestingUntil { get; private set; }

    /// <summary>How many times the replica was sent to rest.</summary>
    public int Rests { get; private set; }

    /// <summary>True when a call may go to the replica now: closed, or its rest is over and no probe is out.</summary>
    public bool CanTake(DateTimeOffset now) => RestingUntil is not { } until || (now >= until && !_probing);

    /// <summary>A call was sent; after a rest it is the probe. Returns true when it is.</summary>
    public bool Taken(DateTimeOffset now)
    {
        if (RestingUntil is not { } until || now < until)
            return false;
        _probing = true;
        return true;
    }

    public void Succeeded()
    {
        _failuresInARow = 0;
        _rest = options.Rest;
        _probing = false;
        RestingUntil = null;
    }

    /// <summary>A call failed in a way that says the server is unwell.</summary>
    public void Failed(bool wasProbe, DateTimeOffset now)
    {
        _failuresInARow++;
        if (wasProbe)
        {
            _probing = false;
            _rest = _rest * 2 > options.MaxRest ? options.MaxRest : _rest * 2;
            Open(now);
        }
        else if (RestingUntil is null && _failuresInARow >= options.FailureThreshold)
        {
            Open(now);
        }
    }

    /// <summary>A call ended without telling anything about the server's health (rejected, cancelled): a probe may be sent again.</summary>
    public void Released(bool wasProbe)
    {
        if (wasProbe)
            _probing = false;
    }

    private void Open(DateTimeOffset now)
    {
        RestingUntil = now + _rest;
        Rests++;
    }
}
