using System.Globalization;
using Adaem.Core.Models;

namespace Adaem.Cli.Progress;

/// <summary>How every command prints a cost in USD: an unknown price stays unknown, never 0.</summary>
internal static class CostText
{
    /// <param name="known">USD of the calls with a known price.</param>
    /// <param name="unpriced">Calls without a known price (model not in the pricing file, or no usage reported).</param>
    /// <param name="calls">Calls made in all.</param>
    public static string Format(double known, long unpriced, long calls)
    {
        if (calls == 0)
            return "0.0000";
        if (unpriced == 0)
            return known.ToString("0.0000", CultureInfo.InvariantCulture);
        return known > 0
            ? $"≥{known.ToString("0.0000", CultureInfo.InvariantCulture)} (+{unpriced.ToString(CultureInfo.InvariantCulture)} unpriced)"
            : "unknown";
    }

    public static string Format(CallCount count) => Format(count.KnownCost, count.UnpricedCalls, count.Calls);

    /// <summary>"0.0123 USD", "≥0.0100 USD (+2 unpriced)" or "unknown" (no unit to an unknown number).</summary>
    public static string WithUnit(CallCount count)
    {
        var text = Format(count);
        if (text == "unknown")
            return text;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? text + " USD" : text[..space] + " USD" + text[space..];
    }
}
