namespace Adaem.Reports.Charts;

/// <summary>One categorical colour per model, shared by every chart and legend so a model keeps its colour.
/// Colour-blind-safe (Okabe–Ito first, then Tableau-like) and distinct in print.</summary>
internal static class Palette
{
    private static readonly string[] Colors =
    [
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#D55E00",
        "#56B4E9",
        "#8C6D31",
        "#7F7F7F",
        "#BCBD22",
        "#17BECF",
        "#9467BD",
        "#F0E442",
    ];

    public static string Model(int index) => Colors[index % Colors.Length];
}
