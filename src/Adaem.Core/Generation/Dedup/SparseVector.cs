namespace Adaem.Core.Generation;

/// <summary>
/// A unit-length sparse vector: feature ids in ascending order with their weights. The cosine of two
/// such vectors is their dot product.
/// </summary>
internal sealed class SparseVector
{
    public static readonly SparseVector Empty = new([], []);

    internal SparseVector(int[] indices, float[] weights)
    {
        Indices = indices;
        Weights = weights;
    }

    public int[] Indices { get; }
    public float[] Weights { get; }
    public int Count => Indices.Length;

    /// <summary>Cosine similarity (both vectors are unit length), by merging the sorted feature lists.</summary>
    public double Dot(SparseVector other)
    {
        double sum = 0;
        int i = 0,
            j = 0;
        var a = Indices;
        var b = other.Indices;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                sum += Weights[i] * other.Weights[j];
                i++;
                j++;
            }
            else if (a[i] < b[j])
                i++;
            else
                j++;
        }
        return sum;
    }
}
