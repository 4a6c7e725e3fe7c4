using System.Globalization;

namespace Adaem.Testing;

/// <summary>
/// Stable string hashing for scripted answers (FNV-1a over the invariant text of each part):
/// string.GetHashCode is randomised per process, this is the same on every run and machine.
/// </summary>
public static class StableHash
{
    public static uint Of(params object[] parts)
    {
        var h = 2166136261u;
        foreach (var p in parts)
        {
            foreach (var c in Convert.ToString(p, CultureInfo.InvariantCulture) ?? "")
            {
                h ^= c;
                h *= 16777619u;
            }
            h ^= 0x1F;
            h *= 16777619u;
        }
        return h;
    }

    /// <summary>The vocabulary <see cref="Word"/> picks from.</summary>
    public static readonly string[] Words =
    [
        "farmers",
        "pensions",
        "drones",
        "festivals",
        "rivers",
        "tariffs",
        "clinics",
        "villages",
        "startups",
        "miners",
        "libraries",
        "ferries",
        "bakeries",
        "nurses",
        "islands",
        "railways",
        "theatres",
        "vineyards",
        "fisheries",
        "mosques",
        "temples",
        "churches",
        "harbours",
        "deserts",
        "glaciers",
        "monks",
        "sailors",
        "teachers",
        "coders",
        "judges",
        "soldiers",
        "poets",
        "refugees",
        "landlords",
        "tenants",
        "brewers",
        "surgeons",
        "pilots",
        "herders",
        "weavers",
        "cyclists",
        "divers",
        "students",
        "retirees",
        "chefs",
        "artists",
        "athletes",
        "priests",
    ];

    /// <summary>The <paramref name="k"/>-th word drawn from the hash <paramref name="h"/> (five bits apart).</summary>
    public static string Word(uint h, int k) => Words[(int)((h >> (k * 5)) % (uint)Words.Length)];
}
