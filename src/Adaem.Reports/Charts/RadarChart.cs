using Adaem.RunFiles;
using ScottPlot;

namespace Adaem.Reports.Charts;

/// <summary>
/// The radar chart of all models over the theory's values (axes in circumplex order, 0–100 scale),
/// rendered with ScottPlot to PNG and SVG files.
/// </summary>
internal static class RadarChart
{
    public const int Width = 720;
    public const int Height = 720;

    /// <param name="axisLabels">Axis labels in circumplex order.</param>
    /// <param name="scores">One row per model, one column per axis, 0–100 (NaN drawn as 0).</param>
    public static Plot Build(IReadOnlyList<string> axisLabels, IReadOnlyList<string> models, IReadOnlyList<double[]> scores)
    {
        var plot = new Plot();
        var values = new double[models.Count, axisLabels.Count];
        for (var m = 0; m < models.Count; m++)
        for (var v = 0; v < axisLabels.Count; v++)
            values[m, v] = double.IsNaN(scores[m][v]) ? 0 : Math.Clamp(scores[m][v], 0, 100);
        var radar = plot.Add.Radar(values);
        radar.PolarAxis.SetSpokes([.. axisLabels], length: 112);
        radar.PolarAxis.SetCircles([25, 50, 75, 100], ["25", "50", "75", "100"]);
        for (var m = 0; m < models.Count; m++)
        {
            var color = Color.FromHex(Palette.Model(m));
            var s = radar.Series[m];
            s.LegendText = models[m];
            s.LineColor = color;
            s.FillColor = color.WithAlpha(0.10);
            s.LineWidth = 2;
        }
        // Fixed limits keep the 0-100 scale comparable between reports and leave room for the spoke labels.
        plot.Axes.SetLimits(-140, 140, -140, 140);
        plot.Axes.SquareUnits();
        plot.Layout.Frameless();
        plot.HideGrid();
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Writes radar.png and radar.svg into <paramref name="directory"/> (each atomically) and returns the SVG text.</summary>
    public static string Write(
        string directory,
        IReadOnlyList<string> axisLabels,
        IReadOnlyList<string> models,
        IReadOnlyList<double[]> scores
    )
    {
        var plot = Build(axisLabels, models, scores);
        AtomicFile.WriteBytes(Path.Combine(directory, "radar.png"), plot.GetImageBytes(Width, Height, ImageFormat.Png));
        var svg = plot.GetSvgXml(Width, Height);
        AtomicFile.WriteText(Path.Combine(directory, "radar.svg"), svg);
        return svg;
    }
}
