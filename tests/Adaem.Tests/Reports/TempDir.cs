namespace Adaem.Tests.Reports;

/// <summary>A fresh directory under the system temp folder, deleted when disposed.</summary>
internal sealed class ReportTempDir : IDisposable
{
    public ReportTempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "adaem-report-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
