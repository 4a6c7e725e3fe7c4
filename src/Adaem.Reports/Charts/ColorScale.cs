using System.Globalization;

namespace Adaem.Reports.Charts;

/// <summary>Sequential colour scales for matrices, with a text colour that stays readable on each fill.</summary>
internal static class ColorScale
{
    private static readonly (double R, double G, double B)[] Blues =
    [
        (247, 251, 255),
        (198, 219, 239),
        (107, 174, 214),
        (33, 113, 181),
        (8, 48, 107),
    ];
    private static readonly (double R, double G, double B)[] Oranges =
    [
        (255, 245, 235),
        (253, 208, 162),
        (253, 141, 60),
        (217, 72, 1),
        (127, 39, 4),
    ];

    /// <summary>Score 0–100 on a white-to-navy scale.</summary>
    public static string Score(double score) => Interpolate(Blues, Math.Clamp(score / 100.0, 0, 1));

    /// <summary>A distance relative to the largest one on a white-to-brown scale.</summary>
    public static string Distance(double fraction) => Interpolate(Oranges, Math.Clamp(fraction, 0, 1));

    public static string TextOn(double fraction) => fraction > 0.6 ? "#ffffff" : "#111111";

    private static string Interpolate((double R, double G, double B)[] stops, double t)
    {
        if (double.IsNaN(t))
            return "#eeeeee";
        var x = t * (stops.Length - 1);
        var i = Math.Min((int)Math.Floor(x), stops.Length - 2);
        var f = x - i;
        var (a, b) = (stops[i], stops[i + 1]);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"#{(int)Math.Round(a.R + (b.R - a.R) * f):x2}{(int)Math.Round(a.G + (b.G - a.G) * f):x2}{(int)Math.Round(a.B + (b.B - a.B) * f):x2}"
        );
    }
}
