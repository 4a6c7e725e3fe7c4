using System.Globalization;
using System.Text.RegularExpressions;
using Adaem.Cli.Progress;
using Adaem.Core.Models;

namespace Adaem.Tests.Cli;

/// <summary>
/// The rate behind the progress lines' ETA and calls/s (<see cref="RateFit"/>), on a manual clock: exact on
/// steady work, and right when many calls in flight make the work finish in bursts (issue 12).
/// </summary>
public sealed partial class ProgressRateTests : IDisposable
{
    private readonly ManualTime _time = new();
    private readonly FixedCalls _calls = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose()
    {
        _out.Dispose();
        _err.Dispose();
    }

    [Fact]
    public void The_fit_is_the_reduced_major_axis_slope_and_waits_for_enough_points()
    {
        var fit = new RateFit();
        Assert.Null(fit.PerSecond);
        fit.Add(2.0, 5); // one moment: no slope yet
        Assert.Null(fit.PerSecond);
        fit.Add(2.2, 6); // a span of 0.2 s after 2 s of nothing: too short to tell
        Assert.Null(fit.PerSecond);
        fit.Add(3.0, 10);
        fit.Add(3.5, 9); // a count that did not grow is no point
        Assert.Equal(10, fit.Total);
        // Points (2, 5), (2.2, 6), (3, 10): the spread of the counts over the spread of the times.
        Assert.Equal(Math.Sqrt(Variance([5, 6, 10]) / Variance([2.0, 2.2, 3.0])), fit.PerSecond!.Value, 9);

        var steady = new RateFit();
        for (var i = 1; i <= 100; i++)
            steady.Add(0.25 * i, 10 * i);
        Assert.Equal(40.0, steady.PerSecond!.Value, 9);
    }

    /// <summary>
    /// 800 answers judged, 64 calls of 1 s in flight for the judge: nothing finishes for 2.7 s (an answer, then
    /// its judgment), then 64 items a second, each wave spread over 0.2 s. At every tenth the ETA the line shows
    /// is within a quarter of the time the phase then took, and calls/s within a tenth of the 128 a second the
    /// waves make; the average since the phase began said 0:34 at 10% (it counts the first 2.7 s as slow work).
    /// </summary>
    [Fact]
    public void Eta_and_calls_per_second_are_right_when_work_finishes_in_bursts_of_64()
    {
        var p = new PlainStageProgress("evaluate", _out, _err, _time);
        p.UseCalls(_calls);
        p.StartPhase("answers judged", 800);
        var finish = Enumerable.Range(0, 800).Select(i => 2.7 + i / 64 + i % 64 * 0.003).ToArray();
        var at = new Dictionary<int, double>();
        for (var i = 0; i < 800; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(finish[i]) - _time.GetElapsedTime(0));
            _calls.Now = new CallCount { Calls = 2 * (i + 1) };
            p.Report(i + 1);
            at[i + 1] = finish[i];
        }

        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tenths = lines.Select(l => Tenth().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(9, tenths.Count);
        foreach (var m in tenths)
        {
            var done = int.Parse(m.Groups["done"].Value, CultureInfo.InvariantCulture);
            var took = finish[^1] - at[done];
            var eta = TimeSpan.ParseExact(m.Groups["eta"].Value, @"m\:ss", CultureInfo.InvariantCulture).TotalSeconds;
            Assert.InRange(eta, took * 0.75, took * 1.25 + 1); // the line rounds up to whole seconds
            Assert.InRange(double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture), 128 * 0.9, 128 * 1.1);
        }
    }

    private static double Variance(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean));
    }

    [GeneratedRegex(
        @"answers judged (?<done>\d+)/800 \(\d+%\); [\d,]+ calls, 0 cache hits, (?<rate>[\d.]+) calls/s, .*, ETA (?<eta>\d+:\d\d)$"
    )]
    private static partial Regex Tenth();
}
