using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Theory;
using Adaem.Storage;

namespace Adaem.Pipeline;

/// <summary>
/// The run's name, its output folder and the store's folder, checked before any model is asked: a mistake
/// found after the calls were paid for costs money.
/// </summary>
internal static class RunFolders
{
    public const string DefaultRun = "main";

    /// <summary>
    /// Longest run name. The name is a folder under out/ and a key in the store's tables; 64 characters leave
    /// room for the folder's own path and a file name within the 255-byte name and 260-character path limits
    /// of common file systems, and keep `adaem runs` readable.
    /// </summary>
    public const int MaxRunNameLength = 64;

    private const string RunNameRule = "use letters (a-z, A-Z), digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>
    /// --run as given, 'main' when absent. The name becomes a folder under out/, so it is held to characters
    /// every file system and shell takes as they are (ASCII, so no two spellings of one name after Unicode
    /// normalisation); an empty name is refused rather than silently meaning 'main'.
    /// </summary>
    public static string RunName(string? run)
    {
        if (run is null)
            return DefaultRun;
        if (run.Length == 0)
            throw new InputException("--run", null, "the run name is empty", $"leave out --run to use '{DefaultRun}', or {RunNameRule}");
        if (run.Length > MaxRunNameLength)
        {
            throw new InputException(
                "--run",
                null,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the run name has {run.Length} characters; at most {MaxRunNameLength} are allowed (it names a folder and must fit path limits)"
                ),
                "use a shorter name"
            );
        }
        var bad = run.FirstOrDefault(c => !Allowed(c));
        if (bad != default || !char.IsAsciiLetterOrDigit(run[0]))
        {
            var what =
                bad != default
                    ? string.Create(CultureInfo.InvariantCulture, $"'{Printable(bad)}' (U+{(int)bad:X4})")
                    : $"'{run[0]}' at its start";
            var suggestion = Suggest(run);
            throw new InputException(
                "--run",
                null,
                $"the run name '{Printable(run)}' has {what}, which a run name cannot have",
                RunNameRule + (suggestion.Length > 0 ? $", e.g. --run {suggestion}" : "")
            );
        }
        return run;
    }

    /// <summary>Where a run's files live: --out if given, else out/RUN/ beside the config. An existing file there is refused.</summary>
    public static string OutDirectory(AdaemConfig config, string run, string? outOption)
    {
        if (outOption is { Length: 0 })
            throw new InputException(
                "--out",
                null,
                "the output folder is empty",
                $"leave out --out to use {Path.Combine(config.Directory, "out", run)}, or name a folder"
            );
        var dir = outOption is { } o ? Path.GetFullPath(o) : Path.Combine(config.Directory, "out", run);
        if (File.Exists(dir))
        {
            throw new InputException(
                dir,
                null,
                "the output folder is an existing file, so the run's files cannot be written into it",
                outOption is null
                    ? "move or rename that file, or pass --out DIR with a folder"
                    : "pass --out with a folder (new or existing), not a file"
            );
        }
        return dir;
    }

    /// <summary>
    /// Opens the store after checking that its folder and the output folder can be created and written. SQLite
    /// needs a writable folder for its -wal and -shm files, not only a writable file.
    /// </summary>
    public static AdaemStore OpenStore(AdaemConfig config, string outDir)
    {
        RequireWritableOutput(outDir);
        RequireWritableStoreFolder(config);
        return AdaemStore.Open(config.StorePath);
    }

    public static void RequireWritableOutput(string outDir) =>
        RequireWritableFolder(outDir, "output folder", "choose another folder with --out, or make this one writable");

    public static void RequireWritableStoreFolder(AdaemConfig config) =>
        RequireWritableFolder(
            Path.GetDirectoryName(config.StorePath)!,
            "store's folder",
            $"point 'store:' in {config.Path} to a writable place, or make this folder writable"
        );

    /// <summary>Creates <paramref name="folder"/> if needed and proves it writable by creating (and removing) a small file in it.</summary>
    public static void RequireWritableFolder(string folder, string what, string fix)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(
                folder,
                string.Create(CultureInfo.InvariantCulture, $".adaem-probe-{Environment.ProcessId}-{Guid.NewGuid():N}")
            );
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InputException(folder, null, $"the {what} cannot be created or written ({e.Message})", fix);
        }
    }

    private static bool Allowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static string Printable(char c) =>
        char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();

    private static string Printable(string s) => string.Concat(s.Select(Printable));

    /// <summary>The name with each stretch of other characters made one '-', trimmed to the rules; empty when nothing is left.</summary>
    private static string Suggest(string run)
    {
        var chars = new System.Text.StringBuilder();
        foreach (var c in run)
        {
            if (Allowed(c))
                chars.Append(c);
            else if (chars.Length > 0 && chars[^1] != '-')
                chars.Append('-');
        }
        var s = chars.ToString().TrimStart('.', '-', '_').TrimEnd('-');
        return s.Length > MaxRunNameLength ? s[..MaxRunNameLength] : s;
    }
}
