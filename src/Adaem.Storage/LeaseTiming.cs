using System.Globalization;

namespace Adaem.Storage;

/// <summary>
/// How long a lease or a claim on a call in flight lives without a heartbeat, and how often its holder
/// beats. A holder that stops beating (killed with -9, a machine that went away) is presumed dead once
/// its last heartbeat is older than <see cref="StaleAfter"/>; the next process takes its place.
/// </summary>
public sealed record LeaseTiming(TimeSpan StaleAfter, TimeSpan Heartbeat)
{
    /// <summary>Environment variable that sets <see cref="StaleAfter"/> in seconds (tests use a few seconds).</summary>
    public const string StaleVariable = "ADAEM_LEASE_STALE_S";

    /// <summary>30 s without a heartbeat is stale; holders beat every 5 s, so six beats must be missed.</summary>
    public static LeaseTiming Default { get; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));

    /// <summary>
    /// <see cref="Default"/>, or the stale time from <see cref="StaleVariable"/> when it holds a positive number
    /// of seconds; the heartbeat is then a third of it (at most 5 s), so a live holder is never seen stale.
    /// </summary>
    public static LeaseTiming FromEnvironment(Func<string, string?> getEnvironment)
    {
        var text = getEnvironment(StaleVariable);
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0))
            return Default;
        var stale = TimeSpan.FromSeconds(seconds);
        return new LeaseTiming(stale, stale / 3 < Default.Heartbeat ? stale / 3 : Default.Heartbeat);
    }

    /// <summary>True when a heartbeat written at <paramref name="heartbeatAt"/> (store time text) is too old at <paramref
    /// name="now"/>.</summary>
    public bool IsStale(string heartbeatAt, DateTimeOffset now) => now - StoreTime.Parse(heartbeatAt) > StaleAfter;
}

/// <summary>The store's timestamps: UTC, millisecond text that sorts as it compares.</summary>
public static class StoreTime
{
    private const string Format = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static string Text(DateTimeOffset t) => t.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var t
        )
            ? t
            : DateTimeOffset.MinValue;

    /// <summary>A short age for people: "4 s ago", "2 min ago", "3 h ago", "2 days ago".</summary>
    public static string Ago(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
            age = TimeSpan.Zero;
        return age.TotalSeconds < 120 ? F($"{(int)age.TotalSeconds} s ago")
            : age.TotalMinutes < 120 ? F($"{(int)age.TotalMinutes} min ago")
            : age.TotalHours < 48 ? F($"{(int)age.TotalHours} h ago")
            : F($"{(int)age.TotalDays} days ago");
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
