using System.Globalization;
using Adaem.Core.Models;

namespace Adaem.Cli.Progress;

/// <summary>One part of a stage with a known number of items (seed questions, bandit steps, answers).</summary>
internal sealed record PhaseReading(
    string Name,
    int Done,
    int Total,
    int AlreadyDone,
    int Reused,
    int Failed,
    string? Detail,
    TimeSpan? Eta
)
{
    public bool Finished => Done >= Total;
}

/// <summary>A stage's progress at one moment: the current phase, the call engine's counters, and the time since the stage began.</summary>
/// <param name="FittedCallsPerSecond">The rate fitted to when the calls came back (<see cref="RateFit"/>), when there is one.</param>
internal sealed record StageReading(
    string Stage,
    PhaseReading? Phase,
    CallCount Calls,
    TimeSpan Elapsed,
    double? FittedCallsPerSecond = null
)
{
    /// <summary>Calls that reached a provider per second (cache hits are not calls): fitted to when they came back, else
    /// the average over the stage so far.</summary>
    public double CallsPerSecond => FittedCallsPerSecond ?? (Elapsed.TotalSeconds > 0 ? Calls.Calls / Elapsed.TotalSeconds : 0);
}

/// <summary>
/// The progress of one long stage (`generate`, `evaluate`, the validate analyses that ask models):
/// items done of total per phase, calls made and cache hits, calls/s, tokens, cost so far and ETA.
/// Subclasses render it (live bars, plain lines). Thread-safe: parallel workers report concurrently,
/// possibly out of order, so counts only move forward. Times are read from <see cref="TimeProvider"/>
/// when an event arrives, and by a heartbeat timer of the same provider that speaks up when no event
/// does (StageProgress.Heartbeat.cs).
/// </summary>
internal abstract partial class StageProgress : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly List<Phase> _phases = [];
    private readonly RateFit _callRate = new();
    private ICallStatistics? _calls;

    protected StageProgress(string stage, TimeProvider time)
    {
        Stage = stage;
        _time = time;
        _started = time.GetTimestamp();
    }

    public string Stage { get; }

    /// <summary>The <see cref="TimeProvider"/> timestamp at which the stage began.</summary>
    protected long StartedAt => _started;

    /// <summary>Failed answers (unreadable, not judged) per model, for the summary line; the stage's views add to it.</summary>
    public FailureTally Failures { get; } = new();

    protected Lock Gate { get; } = new();

    /// <summary>The counters of the model pool the stage calls through (until set, calls read as none); their waits are shown
    /// too.</summary>
    public void UseCalls(ICallStatistics calls)
    {
        lock (Gate)
        {
            _calls = calls;
            _watch?.Dispose();
            _watch = calls.WatchWaits(this);
        }
    }

    /// <summary>Starts a phase of <paramref name="total"/> items, <paramref name="alreadyDone"/> of them finished by an earlier
    /// run.</summary>
    /// <param name="deciles">Plain output prints a line when the phase starts and per tenth of it; false for short repeated
    /// phases (only their ends and heartbeats).</param>
    /// <param name="group">Phases of one group are summed in the summary line (default: the phase's own name).</param>
    public void StartPhase(string name, int total, int alreadyDone = 0, bool deciles = true, string? group = null)
    {
        lock (Gate)
        {
            var phase = new Phase(
                name,
                group ?? name,
                Math.Max(0, total),
                Math.Clamp(alreadyDone, 0, Math.Max(0, total)),
                _time.GetTimestamp(),
                deciles
            );
            _phases.Add(phase);
            _lastEvent = phase.Started;
            OnPhaseStarted(Read(phase, phase.Started), phase.Plain, phase.Started);
        }
    }

    /// <summary>The current phase has <paramref name="done"/> items finished (<paramref name="reused"/> of them read back from the store,
    /// <paramref name="failed"/> failed).</summary>
    public void Report(int done, int reused = 0, int failed = 0, string? detail = null)
    {
        lock (Gate)
        {
            if (_phases.Count == 0)
                return;
            var phase = _phases[^1];
            phase.Done = Math.Max(phase.Done, Math.Min(done, phase.Total));
            phase.Reused = Math.Max(phase.Reused, reused);
            phase.Failed = Math.Max(phase.Failed, failed);
            if (detail is not null)
                phase.Detail = detail;
            var now = _time.GetTimestamp();
            phase.Rate.Add(_time.GetElapsedTime(phase.Started, now).TotalSeconds, phase.Done - phase.AlreadyDone - phase.Reused);
            _lastEvent = now;
            OnChanged(Read(phase, now), phase.Plain, now);
        }
    }

    /// <summary>One more item of the current phase is finished.</summary>
    public void Advance(string? detail = null)
    {
        lock (Gate)
        {
            if (_phases.Count == 0)
                return;
            var phase = _phases[^1];
            Report(phase.Done + 1, phase.Reused, phase.Failed, detail);
        }
    }

    public abstract void Warning(string message);

    public StageReading Read()
    {
        lock (Gate)
            return Read(_phases.Count == 0 ? null : _phases[^1], _time.GetTimestamp());
    }

    /// <summary>Whether anything happened worth a summary (a phase started or a model was called).</summary>
    public bool Started
    {
        get
        {
            lock (Gate)
                return _phases.Count > 0 || (_calls?.Total() is { } c && c.Calls + c.CacheHits + c.Failures > 0);
        }
    }

    /// <summary>The one line that closes a stage: its phases, calls made, cache hits, failed calls, tokens, cost and time,
    /// then the failed answers per model when there are any.</summary>
    public string Summary(bool finished)
    {
        lock (Gate)
        {
            var now = _time.GetTimestamp();
            var reading = Read(null, now);
            var phases = _phases
                .GroupBy(p => p.Group, StringComparer.Ordinal)
                .Select(g => PhaseCounts(Sum(g.Key, g.Select(p => ReadPhase(p, now)))));
            var c = reading.Calls;
            var failures = Failures.Text() is { } f ? "; " + f : "";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{Stage} {(finished ? "done" : "stopped")}: {string.Join(", ", phases)}{(_phases.Count > 0 ? "; " : "")}{c.Calls:N0} calls made, {c.CacheHits:N0} cache hits, {c.Failures:N0} failed calls, {c.Tokens:N0} tokens, cost {CostText.WithUnit(c)}, {Duration(reading.Elapsed)}{failures}"
            );
        }
    }

    private static PhaseReading Sum(string group, IEnumerable<PhaseReading> phases)
    {
        var all = phases.ToList();
        return all.Count == 1 && all[0].Name == group
            ? all[0]
            : new PhaseReading(
                group,
                all.Sum(p => p.Done),
                all.Sum(p => p.Total),
                all.Sum(p => p.AlreadyDone),
                all.Sum(p => p.Reused),
                all.Sum(p => p.Failed),
                null,
                null
            );
    }

    /// <summary>"answers 120/600 (20%), 3 from the store, 1 failed".</summary>
    public static string PhaseCounts(PhaseReading p)
    {
        var percent = p.Total == 0 ? 100 : (int)(100L * p.Done / p.Total);
        var text = string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Done:N0}/{p.Total:N0} ({percent}%)");
        var already = p.AlreadyDone + p.Reused;
        if (already > 0)
            text += string.Create(CultureInfo.InvariantCulture, $", {already:N0} from the store");
        if (p.Failed > 0)
            text += string.Create(CultureInfo.InvariantCulture, $", {p.Failed:N0} failed");
        return text;
    }

    /// <summary>"240 calls, 5 cache hits, 48.0 calls/s, 73,076 tokens, cost 0.0000 USD, ETA 0:10".</summary>
    public static string CallFigures(StageReading r)
    {
        var c = r.Calls;
        var eta =
            r.Phase is null ? ""
            : r.Phase.Finished ? ""
            : $", ETA {(r.Phase.Eta is { } e ? Clock(e) : "-")}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{c.Calls:N0} calls, {c.CacheHits:N0} cache hits, {r.CallsPerSecond:0.0} calls/s, {c.Tokens:N0} tokens, cost {CostText.WithUnit(c)}{eta}"
        );
    }

    /// <summary>A whole progress line: stage, phase counts, detail of the last item, call figures.</summary>
    public static string Line(StageReading r)
    {
        var phase = r.Phase is null ? "" : PhaseCounts(r.Phase) + (r.Phase.Detail is { } d ? $" [{d}]" : "");
        return $"{r.Stage}: {phase}{(phase.Length > 0 ? "; " : "")}{CallFigures(r)}";
    }

    /// <summary>ETA style: m:ss, or h:mm:ss from an hour on.</summary>
    public static string Clock(TimeSpan t)
    {
        var s = (long)Math.Ceiling(Math.Max(0, t.TotalSeconds));
        return s >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{s / 3600}:{s / 60 % 60:00}:{s % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{s / 60}:{s % 60:00}");
    }

    /// <summary>Elapsed time of a stage: "2.3 s" under a minute, else a clock.</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s") : Clock(t);

    protected abstract void OnPhaseStarted(StageReading reading, PlainState plain, long now);

    /// <param name="plain">Per-phase state a plain renderer keeps (last decile printed, last line time).</param>
    protected abstract void OnChanged(StageReading reading, PlainState plain, long now);

    protected TimeSpan Since(long from, long to) => _time.GetElapsedTime(from, to);

    private StageReading Read(Phase? phase, long now)
    {
        var calls = _calls?.Total() ?? CallCount.None;
        var elapsed = _time.GetElapsedTime(_started, now);
        _callRate.Add(elapsed.TotalSeconds, calls.Calls);
        return new(Stage, phase is null ? null : ReadPhase(phase, now), calls, elapsed, _callRate.PerSecond);
    }

    private PhaseReading ReadPhase(Phase p, long now)
    {
        // Items read back from the store take no time, so the rate counts only items worked on in this run.
        var worked = p.Done - p.AlreadyDone - p.Reused;
        var remaining = p.Total - p.Done;
        TimeSpan? eta = null;
        var elapsed = _time.GetElapsedTime(p.Started, now);
        if (remaining == 0)
            eta = TimeSpan.Zero;
        else if (p.Rate.PerSecond is { } perSecond)
            eta = TimeSpan.FromSeconds(remaining / perSecond);
        else if (worked > 0 && elapsed > TimeSpan.Zero)
            eta = elapsed * remaining / worked;
        return new PhaseReading(p.Name, p.Done, p.Total, p.AlreadyDone, p.Reused, p.Failed, p.Detail, eta);
    }

    /// <summary>What a plain renderer remembers per phase so it prints at its cadence.</summary>
    protected internal sealed class PlainState(bool deciles)
    {
        public bool Deciles { get; } = deciles;
        public int LastDecile { get; set; }
        public long LastLine { get; set; }
        public bool EndPrinted { get; set; }
    }

    private sealed class Phase(string name, string group, int total, int alreadyDone, long started, bool deciles)
    {
        public string Name { get; } = name;
        public string Group { get; } = group;
        public int Total { get; } = total;
        public int AlreadyDone { get; } = alreadyDone;
        public long Started { get; } = started;
        public int Done { get; set; } = alreadyDone;
        public int Reused { get; set; }
        public int Failed { get; set; }
        public string? Detail { get; set; }
        public PlainState Plain { get; } = new(deciles);

        /// <summary>Items worked on in this run against the time since the phase began.</summary>
        public RateFit Rate { get; } = new();
    }
}
