using Adaem.Core.Configuration;
using Adaem.Core.Errors;

namespace Adaem.Tests.Support;

/// <summary>Loading a config that must fail: the one problem about a thing, which names the file and says how to fix it.</summary>
internal static class ConfigProblems
{
    /// <summary>
    /// Writes <paramref name="yaml"/> as adaem.yaml in a fresh folder, loads it, and returns the single problem whose
    /// message contains <paramref name="contains"/>, after checking that it names the file and gives a fix.
    /// </summary>
    public static InputProblem Single(string yaml, string contains)
    {
        using var dir = new TempDir();
        var path = dir.Write("adaem.yaml", yaml);
        var e = Assert.Throws<InputException>(() => ConfigLoader.Load(path));
        var p = Assert.Single(e.Problems, x => x.Message.Contains(contains, StringComparison.Ordinal));
        Assert.Equal(path, p.File);
        Assert.False(string.IsNullOrWhiteSpace(p.Fix));
        return p;
    }
}
