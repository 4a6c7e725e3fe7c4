namespace Adaem.Storage;

/// <summary>The store file was written by a newer adaem than this one.</summary>
public sealed class StoreVersionException(string path, int fileVersion, int knownVersion)
    : Exception(
        $"{path}: the store has schema version {fileVersion}, but this adaem knows only up to {knownVersion}. "
            + "Fix: upgrade adaem, or point 'store:' in the config to another file."
    )
{
    public string StorePath { get; } = path;
    public int FileVersion { get; } = fileVersion;
    public int KnownVersion { get; } = knownVersion;
}
