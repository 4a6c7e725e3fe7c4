using System.Collections.Concurrent;
using System.Diagnostics;
using Adaem.Core.Models;

namespace Adaem.Providers.Engine;

/// <summary>
/// In-process counters of cache hits, calls and tokens per stage and model, the calls in flight, the
/// ledger's current store write, and the retry layer's waits. Cheap (interlocked adds); the store's ledger
/// stays the durable record, this is for the progress display.
/// </summary>
public sealed class CallCounters : ICallStatistics
{
    private readonly ConcurrentDictionary<(string Stage, string Model), Counter> _counters = new();
    private long _storeWriteStarted;

    /// <summary>Where the retry layer reports its waits; progress displays watch it (<see cref="WatchWaits"/>).</summary>
    public CallWaits Waits { get; } = new();

    /// <summary>A call to the provider begins (limits, retries and reply); dispose the result when it ends, however it ends.</summary>
    public IDisposable Asking(string stage, string model)
    {
        var c = Get(stage, model);
        Interlocked.Increment(ref c.InFlight);
        return new Asked(c);
    }

    /// <summary>The ledger begins (true) or ends (false) a write to the store.</summary>
    public void StoreWrite(bool started) => Interlocked.Exchange(ref _storeWriteStarted, started ? Stopwatch.GetTimestamp() : 0);

    public TimeSpan? StoreWriteWaiting => Interlocked.Read(ref _storeWriteStarted) is var t and not 0 ? Stopwatch.GetElapsedTime(t) : null;

    public IDisposable WatchWaits(ICallWaitSink sink) => Waits.Watch(sink);

    public void Hit(string stage, string model) => Interlocked.Increment(ref Get(stage, model).Hits);

    public void Called(string stage, string model, long? inputTokens, long? outputTokens, double? cost)
    {
        var c = Get(stage, model);
        Interlocked.Increment(ref c.Calls);
        Interlocked.Add(ref c.InputTokens, inputTokens ?? 0);
        Interlocked.Add(ref c.OutputTokens, outputTokens ?? 0);
        if (cost is { } usd)
        {
            lock (c)
                c.Cost += usd;
        }
        else
        {
            Interlocked.Increment(ref c.Unpriced);
        }
    }

    public void Failed(string stage, string model) => Interlocked.Increment(ref Get(stage, model).Failures);

    public void FailedAttempt(string stage, string model) => Interlocked.Increment(ref Get(stage, model).FailedAttempts);

    // ToArray is ConcurrentDictionary's own atomic copy. LINQ straight over the dictionary sizes its buffer from
    // Count and then enumerates, so a model counted for the first time in between overruns it (seen as an
    // IndexOutOfRangeException in a progress report while parallel workers started new models).
    public IReadOnlyList<CallCount> Snapshot() =>
        _counters
            .ToArray()
            .OrderBy(kv => kv.Key.Stage, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Model, StringComparer.Ordinal)
            .Select(kv => kv.Value.Read(kv.Key.Stage, kv.Key.Model))
            .ToList();

    /// <summary>The sum over models of one stage (all stages when null).</summary>
    public CallCount Total(string? stage = null)
    {
        var rows = Snapshot().Where(r => stage is null || r.Stage == stage).ToList();
        var unpriced = rows.Sum(r => r.UnpricedCalls);
        return new CallCount
        {
            Stage = stage ?? "",
            Model = "",
            CacheHits = rows.Sum(r => r.CacheHits),
            Calls = rows.Sum(r => r.Calls),
            Failures = rows.Sum(r => r.Failures),
            FailedAttempts = rows.Sum(r => r.FailedAttempts),
            InputTokens = rows.Sum(r => r.InputTokens),
            OutputTokens = rows.Sum(r => r.OutputTokens),
            Cost = unpriced > 0 ? null : rows.Sum(r => r.KnownCost),
            KnownCost = rows.Sum(r => r.KnownCost),
            UnpricedCalls = unpriced,
            InFlight = rows.Sum(r => r.InFlight),
        };
    }

    private Counter Get(string stage, string model) => _counters.GetOrAdd((stage, model), static _ => new Counter());

    private sealed class Counter
    {
        public long Hits,
            Calls,
            Failures,
            FailedAttempts,
            InputTokens,
            OutputTokens,
            Unpriced,
            InFlight;
        public double Cost;

        public CallCount Read(string stage, string model)
        {
            double cost;
            lock (this)
                cost = Cost;
            var unpriced = Interlocked.Read(ref Unpriced);
            return new CallCount
            {
                Stage = stage,
                Model = model,
                CacheHits = Interlocked.Read(ref Hits),
                Calls = Interlocked.Read(ref Calls),
                Failures = Interlocked.Read(ref Failures),
                FailedAttempts = Interlocked.Read(ref FailedAttempts),
                InputTokens = Interlocked.Read(ref InputTokens),
                OutputTokens = Interlocked.Read(ref OutputTokens),
                Cost = unpriced > 0 ? null : cost,
                KnownCost = cost,
                UnpricedCalls = unpriced,
                InFlight = Interlocked.Read(ref InFlight),
            };
        }
    }

    private sealed class Asked(Counter counter) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                Interlocked.Decrement(ref counter.InFlight);
        }
    }
}
