namespace Adaem.Cli.Progress;

/// <summary>
/// How fast a count grows, fitted to the moments it grew. Work with many calls in flight finishes in bursts:
/// 64 calls of 1 s come back within a moment, then nothing for a second. A rate from the start of the phase
/// counts the wait before the first burst (two latencies for an answer and its judgment) as if the work were
/// slow, and a rate from the first burst counts the burst as if it took no time. This fits a line through the
/// points (time, count so far), one per report that raised the count, and takes its slope as the rate: the
/// reduced major axis line, whose slope is the spread of the counts over the spread of the times (the
/// geometric mean of the two least-squares slopes, count on time and time on count). Each least-squares slope
/// leans one way when a burst has only partly come in; their mean does not, and steady work gives the exact
/// rate. Until the points span enough time to tell (a quarter of the time before the first one), or while
/// they are all at one moment, there is no fit and the caller falls back on the plain average.
/// The fit is kept online (Welford's updates of the means and moments), so a point costs O(1).
/// </summary>
internal sealed class RateFit
{
    private long _points;
    private double _meanX,
        _meanY,
        _momentX,
        _momentY,
        _coMoment;
    private double _firstX = double.NaN,
        _lastX;

    /// <summary>The count so far (the largest <see cref="Add"/> was told).</summary>
    public long Total { get; private set; }

    /// <summary>The count has reached <paramref name="total"/> at <paramref name="seconds"/> after the start; a count that did
    /// not grow is no point.</summary>
    public void Add(double seconds, long total)
    {
        if (total <= Total)
            return;
        Total = total;
        _points++;
        var dx = seconds - _meanX;
        var dy = total - _meanY;
        _meanX += dx / _points;
        _meanY += dy / _points;
        _momentX += dx * (seconds - _meanX);
        _momentY += dy * (total - _meanY);
        _coMoment += dx * (total - _meanY);
        if (double.IsNaN(_firstX))
            _firstX = seconds;
        _lastX = seconds;
    }

    /// <summary>Units per second, or null while the points cannot tell (fewer than two moments, or too short a span).</summary>
    public double? PerSecond
    {
        get
        {
            if (_points < 2 || _momentX <= 0 || _coMoment <= 0)
                return null;
            if (_lastX - _firstX < _firstX / 4)
                return null;
            return Math.Sqrt(_momentY / _momentX);
        }
    }
}
