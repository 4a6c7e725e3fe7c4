using System.Globalization;
using System.Net;

namespace Adaem.Reports.Html;

/// <summary>Escaping and invariant number formatting for everything the report writes.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string F(double value, int decimals = 1) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "–";

    public static string F(double? value, int decimals = 1) => value is { } v ? F(v, decimals) : "–";

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A p-value the way papers print it: 3 significant digits, "&lt; 0.001" below that.</summary>
    public static string P(double p) =>
        !double.IsFinite(p) ? "–"
        : p < 0.001 ? "&lt; 0.001"
        : p.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Pct(double share) =>
        double.IsFinite(share) ? (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>SVG coordinates: invariant, two decimals at most.</summary>
    public static string C(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
