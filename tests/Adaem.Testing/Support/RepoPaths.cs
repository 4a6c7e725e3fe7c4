namespace Adaem.Tests.Support;

/// <summary>Paths inside the repository checkout the tests were built from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Adaem.slnx")))
            dir = dir.Parent;
        return dir?.FullName
            ?? throw new InvalidOperationException("cannot find the repository root (Adaem.slnx) above " + AppContext.BaseDirectory);
    }
}
