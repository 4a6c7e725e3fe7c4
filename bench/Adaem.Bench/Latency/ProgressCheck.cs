using System.Globalization;
using System.Text.RegularExpressions;

namespace Adaem.Bench.Latency;

/// <summary>
/// Checks the plain progress lines of an `adaem evaluate` against what happened: at each tenth, the ETA the
/// line said against the time the phase actually took to finish from then, and the calls/s it said against
/// its own call count over the time since the first request reached the server.
/// </summary>
internal static partial class ProgressCheck
{
    public static void Print(EvaluateTiming t)
    {
        var rows = t.Lines.Select(l => (l.At, Match: Decile().Match(l.Text))).Where(x => x.Match.Success).ToList();
        var end = rows.FirstOrDefault(r => r.Match.Groups["done"].Value == r.Match.Groups["total"].Value);
        if (end.Match is null)
        {
            Console.WriteLine("  progress: no line of the finished phase was read");
            return;
        }
        var cells = new List<string>();
        foreach (var (at, m) in rows.Where(r => r.Match.Groups["eta"].Success))
        {
            var said = Seconds(m.Groups["eta"].Value);
            var actual = (end.At - at).TotalSeconds;
            var calls = double.Parse(m.Groups["calls"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var rate = double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture);
            var since = (at - t.FirstRequest).TotalSeconds;
            cells.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{m.Groups["percent"].Value}%: ETA {said:0} s (took {actual:0.0} s), {rate:0} calls/s ({calls / since:0} since the first request)"
                )
            );
        }
        Console.WriteLine($"  progress lines: {string.Join("; ", cells)}");
    }

    private static double Seconds(string clock)
    {
        var parts = clock.Split(':').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return parts.Aggregate(0.0, (a, p) => a * 60 + p);
    }

    [GeneratedRegex(
        @"answers judged (?<done>[\d,]+)/(?<total>[\d,]+) \((?<percent>\d+)%\).*?; (?<calls>[\d,]+) calls, .*?(?<rate>[\d.]+) calls/s.*?(ETA (?<eta>[\d:]+))?(;|$)"
    )]
    private static partial Regex Decile();
}
