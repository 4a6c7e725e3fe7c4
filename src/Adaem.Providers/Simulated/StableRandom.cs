using System.Security.Cryptography;
using System.Text;

namespace Adaem.Providers.Simulated;

/// <summary>
/// A random stream that depends only on the strings it was made from. The seed is a SHA-256 over the
/// parts, so it is the same on every machine, runtime and process (unlike string.GetHashCode or a
/// shared System.Random); the stream itself is SplitMix64, whose output is fixed by its definition.
/// </summary>
internal sealed class StableRandom
{
    private ulong _state;

    private StableRandom(ulong state) => _state = state;

    /// <summary>A stream keyed by the parts, joined with a separator no part is expected to contain.</summary>
    public static StableRandom From(params string[] parts) => new(Hash64(parts));

    /// <summary>A 64-bit stable hash of the parts.</summary>
    public static ulong Hash64(params string[] parts)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\u001f', parts));
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return BitConverter.ToUInt64(digest[..8]);
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)(NextDouble() * n);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An index drawn with probability proportional to its (non-negative) weight; uniform if all are zero.</summary>
    public int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
            total += Math.Max(0, w);
        if (total <= 0)
            return Next(weights.Count);
        var r = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            r -= Math.Max(0, weights[i]);
            if (r < 0)
                return i;
        }
        return weights.Count - 1;
    }
}
