using System.Numerics;

namespace Adaem.Core.Generation;

/// <summary>Helpers for embedding vectors: unit length once, then cosine is a dot product.</summary>
public static class DenseVector
{
    /// <summary>A unit-length copy (a zero vector stays zero, so it is similar to nothing).</summary>
    public static float[] Normalize(ReadOnlySpan<float> v)
    {
        var r = v.ToArray();
        double n = 0;
        foreach (var x in r) n += x * x;
        if (n <= 0) return r;
        var inv = (float)(1 / Math.Sqrt(n));
        for (var i = 0; i < r.Length; i++) r[i] *= inv;
        return r;
    }

    /// <summary>The dot product over the common length (vectors of one model have one length).</summary>
    public static double Dot(float[] a, float[] b) => Dot(a.AsSpan(), b.AsSpan());

    /// <summary>The dot product over the common length, with SIMD where the hardware has it.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var s = 0.0;
        var i = 0;
        var width = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && n >= 2 * width)
        {
            // Two accumulators hide the latency of the multiply-add chain.
            var acc0 = Vector<float>.Zero;
            var acc1 = Vector<float>.Zero;
            for (; i <= n - 2 * width; i += 2 * width)
            {
                acc0 += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
                acc1 += new Vector<float>(a[(i + width)..]) * new Vector<float>(b[(i + width)..]);
            }
            s = Vector.Sum(acc0 + acc1);
        }
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }
}
