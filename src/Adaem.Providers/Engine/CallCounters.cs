using System.Collections.Concurrent;
using Adaem.Core.Models;

namespace Adaem.Providers.Engine;

/// <summary>
/// In-process counters of cache hits, calls and tokens per stage and model. Cheap (interlocked adds);
/// the store's ledger stays the durable record, this is for the progress bar.
/// </summary>
public sealed class CallCounters : ICallStatistics
{
    private readonly ConcurrentDictionary<(string Stage, string Model), Counter> _counters = new();

    public void Hit(string stage, string model) => Interlocked.Increment(ref Get(stage, model).Hits);

    public void Called(string stage, string model, long? inputTokens, long? outputTokens, double? cost)
    {
        var c = Get(stage, model);
        Interlocked.Increment(ref c.Calls);
        Interlocked.Add(ref c.InputTokens, inputTokens ?? 0);
        Interlocked.Add(ref c.OutputTokens, outputTokens ?? 0);
        if (cost is { } usd)
        {
            lock (c) c.Cost += usd;
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
        _counters.ToArray().OrderBy(kv => kv.Key.Stage, StringComparer.Ordinal).ThenBy(kv => kv.Key.Model, StringComparer.Ordinal)
            .Select(kv => kv.Value.Read(kv.Key.Stage, kv.Key.Model)).ToList();

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
        };
    }

    private Counter Get(string stage, string model) => _counters.GetOrAdd((stage, model), static _ => new Counter());

    private sealed class Counter
    {
        public long Hits, Calls, Failures, FailedAttempts, InputTokens, OutputTokens, Unpriced;
        public double Cost;

        public CallCount Read(string stage, string model)
        {
            double cost;
            lock (this) cost = Cost;
            var unpriced = Interlocked.Read(ref Unpriced);
            return new CallCount
            {
                Stage = stage, Model = model,
                CacheHits = Interlocked.Read(ref Hits), Calls = Interlocked.Read(ref Calls), Failures = Interlocked.Read(ref Failures),
                FailedAttempts = Interlocked.Read(ref FailedAttempts),
                InputTokens = Interlocked.Read(ref InputTokens), OutputTokens = Interlocked.Read(ref OutputTokens),
                Cost = unpriced > 0 ? null : cost, KnownCost = cost, UnpricedCalls = unpriced,
            };
        }
    }
}
