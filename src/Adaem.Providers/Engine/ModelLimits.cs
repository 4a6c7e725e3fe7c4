using System.Threading.RateLimiting;
using Adaem.Core.Configuration;

namespace Adaem.Providers.Engine;

/// <summary>
/// The limits of one model: at most `concurrency` calls in flight, and (when set) token buckets for
/// requests per minute and tokens per minute. Buckets refill smoothly (a small share every period)
/// rather than all at once each minute, so a run does not burst a whole minute's budget and then stall.
/// </summary>
internal sealed class ModelLimits : IDisposable
{
    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucketRateLimiter? _rpm;
    private readonly TokenBucketRateLimiter? _tpm;
    private readonly int _tpmCapacity;
    private readonly int? _rpmLimit;
    private readonly int? _tpmLimit;

    public ModelLimits(int concurrency, int? rpm, int? tpm)
    {
        Concurrency = concurrency;
        _rpmLimit = rpm;
        _tpmLimit = tpm;
        _concurrency = new ConcurrencyLimiter(
            new ConcurrencyLimiterOptions
            {
                PermitLimit = concurrency,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }
        );
        if (rpm is { } r)
            _rpm = Bucket(r, capacity: TokensPerPeriod(r));
        if (tpm is { } t)
        {
            // A single request may need many tokens, so the bucket holds a full minute's budget.
            _tpmCapacity = t;
            _tpm = Bucket(t, capacity: t);
        }
    }

    public int Concurrency { get; }

    /// <summary>These limits as Core sees them.</summary>
    public Core.Models.ModelCapacity Capacity => new(Concurrency, _rpmLimit, _tpmLimit);

    public static ModelLimits For(ModelConfig model, int defaultConcurrency) =>
        new(model.Concurrency ?? defaultConcurrency, model.Rpm, model.Tpm);

    /// <summary>Waits for a slot, a request token and <paramref name="estimatedTokens"/> tokens; dispose the result to free the
    /// slot.</summary>
    public async ValueTask<IDisposable> AcquireAsync(int estimatedTokens, CancellationToken cancellationToken)
    {
        var slot = await Acquire(_concurrency, 1, cancellationToken).ConfigureAwait(false);
        try
        {
            // Rate tokens are spent, not returned, so only the slot needs releasing afterwards.
            if (_rpm is not null)
                (await Acquire(_rpm, 1, cancellationToken).ConfigureAwait(false)).Dispose();
            if (_tpm is not null)
                (await Acquire(_tpm, Math.Clamp(estimatedTokens, 1, _tpmCapacity), cancellationToken).ConfigureAwait(false)).Dispose();
            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _concurrency.Dispose();
        _rpm?.Dispose();
        _tpm?.Dispose();
    }

    private static async ValueTask<RateLimitLease> Acquire(RateLimiter limiter, int permits, CancellationToken ct)
    {
        var lease = await limiter.AcquireAsync(permits, ct).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("rate limiter refused a permit although its queue is unbounded");
        }
        return lease;
    }

    private static int TokensPerPeriod(int perMinute) => Math.Max(1, (int)Math.Ceiling(perMinute / 60.0));

    /// <summary>Refills ceil(perMinute/60) tokens every 60·k/perMinute seconds: exactly perMinute a minute, in about one-second
    /// steps.</summary>
    private static TokenBucketRateLimiter Bucket(int perMinute, int capacity)
    {
        var k = TokensPerPeriod(perMinute);
        return new TokenBucketRateLimiter(
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = capacity,
                TokensPerPeriod = k,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) * k / perMinute,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }
        );
    }
}
