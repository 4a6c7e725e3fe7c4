using System.Reflection;
using System.Runtime.Loader;

namespace Adaem.Providers.Local.Fetch;

/// <summary>
/// Loads a fetched encoder's assemblies from its cache folder and ONNX Runtime's native library from its
/// <c>native/</c> folder. Everything else (.NET itself, System.Numerics.Tensors, adaem) comes from the default
/// context, so the types the two share are the same types.
/// </summary>
internal sealed class EncoderLoadContext(EncoderInstall install) : AssemblyLoadContext("adaem-encoder")
{
    public EncoderInstall Install { get; } = install;

    /// <summary>Whether the fetched encoder carries an assembly of this name.</summary>
    public bool Carries(AssemblyName name) => name.Name is { } n && File.Exists(Path.Combine(Install.Folder, n + ".dll"));

    protected override Assembly? Load(AssemblyName assemblyName) =>
        Carries(assemblyName) ? LoadFromAssemblyPath(Path.Combine(Install.Folder, assemblyName.Name + ".dll")) : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var file in Candidates(unmanagedDllName))
        {
            var path = Path.Combine(Install.NativeFolder, file);
            if (File.Exists(path))
                return LoadUnmanagedDllFromPath(path);
        }
        return IntPtr.Zero;
    }

    // DllImport("onnxruntime") means onnxruntime.dll, libonnxruntime.so or libonnxruntime.dylib by platform.
    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        foreach (var ext in new[] { ".so", ".dylib", ".dll" })
        {
            yield return name + ext;
            yield return "lib" + name + ext;
        }
    }
}
