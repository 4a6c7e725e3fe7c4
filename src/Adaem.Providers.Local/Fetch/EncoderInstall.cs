using System.Text.Json;
using System.Text.Json.Serialization;

namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// A fetched encoder in the cache: one folder per encoder build and platform,
/// <c>CACHE/encoder/all-MiniLM-L6-v2/24.9.52193+onnxruntime-1.31.1/linux-x64/</c>, holding the managed assemblies,
/// <c>native/</c> with the platform's ONNX Runtime, and <c>encoder.json</c> (the packages and their hashes, every
/// file and its size). The folder appears whole, by one rename, so a folder that exists is complete.
/// </summary>
public sealed record EncoderInstall(string Folder)
{
    public const string ManifestName = "encoder.json";
    public const string NativeFolderName = "native";

    public string NativeFolder => Path.Combine(Folder, NativeFolderName);

    /// <summary>The folder the encoder of <paramref name="options"/>' platform lives in, fetched or not.</summary>
    public static string FolderFor(EncoderFetchOptions options) =>
        Path.Combine(
            options.CacheRoot,
            "encoder",
            LocalEncoders.MiniLm,
            $"{EncoderPackages.MiniLmVersion}+onnxruntime-{EncoderPackages.OnnxRuntimeVersion}",
            options.RuntimeIdentifier
        );

    /// <summary>The encoder already fetched for these options, or null (also when a file is missing or cut).</summary>
    public static EncoderInstall? Find(EncoderFetchOptions options)
    {
        var folder = FolderFor(options);
        var manifest = Path.Combine(folder, ManifestName);
        if (!File.Exists(manifest))
            return null;
        try
        {
            var m = JsonSerializer.Deserialize(File.ReadAllText(manifest), ManifestJson.Default.EncoderManifest);
            if (m is null || m.Files.Count == 0)
                return null;
            foreach (var f in m.Files)
            {
                var info = new FileInfo(Path.Combine(folder, f.Path));
                if (!info.Exists || info.Length != f.Size)
                    return null;
            }
            return new EncoderInstall(folder);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Bytes on disk of the encoder's folder.</summary>
    public long Size() => Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    internal static void WriteManifest(string folder, string rid)
    {
        var files = Directory
            .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => new ManifestFile(Path.GetRelativePath(folder, f).Replace('\\', '/'), new FileInfo(f).Length))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        var manifest = new EncoderManifest(
            LocalEncoders.MiniLm,
            rid,
            EncoderPackages.MiniLm.Select(p => new ManifestPackage(p.Id, p.Version, p.Sha512)).ToList(),
            files,
            DateTimeOffset.UtcNow.ToString("O")
        );
        File.WriteAllText(Path.Combine(folder, ManifestName), JsonSerializer.Serialize(manifest, ManifestJson.Default.EncoderManifest));
    }
}

internal sealed record EncoderManifest(
    string Encoder,
    string Rid,
    List<ManifestPackage> Packages,
    List<ManifestFile> Files,
    string FetchedAt
);

internal sealed record ManifestPackage(string Id, string Version, string Sha512);

internal sealed record ManifestFile(string Path, long Size);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(EncoderManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
