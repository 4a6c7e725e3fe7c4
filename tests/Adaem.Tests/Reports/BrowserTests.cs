using Adaem.Reports.Html;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Reports;

/// <summary>
/// The report in a real headless browser (Debian's chromium): it must load from a file URL without a single
/// network request beyond the file itself, and its charts must be in the rendered page with a real size.
/// On a machine without chromium the test is reported as skipped, with how to enable it; CI sets
/// ADAEM_REQUIRE_BROWSER=1 (after installing chromium), and there a missing browser fails the test.
/// </summary>
public class BrowserTests
{
    private static string Browser()
    {
        var binary = HeadlessChromium.Find();
        if (binary is not null)
            return binary;
        const string how =
            "chromium is not installed, so the report is not checked in a real browser. To enable this test, install it "
            + "('apt-get install -y chromium fonts-dejavu-core' on Debian) or point ADAEM_CHROMIUM to a chromium binary.";
        Assert.SkipUnless(Environment.GetEnvironmentVariable("ADAEM_REQUIRE_BROWSER") == "1", how);
        Assert.Fail("ADAEM_REQUIRE_BROWSER=1 (as in CI): " + how);
        return "";
    }

    [Fact]
    public async Task Report_loads_from_disk_with_no_failed_request_and_shows_its_charts()
    {
        var binary = Browser();
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempDir();
        var models = ReportFixture.DistinctModels(4);
        ReportFixture.Write(tmp.Path, models, 40);
        var output = ReportWriter.Write(ReportWriterTests.InputFrom(tmp.Path, models, simulated: true), tmp.Path, cancellationToken: ct);
        // A canary page proves the failure detection works: a missing image must be reported as failed.
        var canary = tmp.Sub("canary.html");
        File.WriteAllText(canary, "<!DOCTYPE html><html><body><img src=\"missing.png\" alt=\"x\"></body></html>");

        await using var browser = await HeadlessChromium.StartAsync(binary, ct);
        var canaryLoad = await browser.LoadAsync(new Uri(canary).AbsoluteUri, ct);
        Assert.Contains(canaryLoad.Failures, f => f.Contains("missing.png", StringComparison.Ordinal));

        var url = new Uri(output.Html).AbsoluteUri;
        var load = await browser.LoadAsync(url, ct);
        Assert.Empty(load.Failures);
        Assert.Equal([url], load.Requests); // the page itself and nothing else

        var charts = (
            await browser.EvaluateAsync(
                """
                JSON.stringify({
                  radar: document.querySelectorAll('svg#radar-chart path, svg#radar-chart polygon, svg#radar-chart polyline').length,
                  radarWidth: document.querySelector('svg#radar-chart').getBoundingClientRect().width,
                  heatCells: document.querySelectorAll('svg#heatmap-chart rect').length,
                  heatWidth: document.querySelector('svg#heatmap-chart').getBoundingClientRect().width,
                  distanceCells: document.querySelectorAll('svg#distance-chart rect').length,
                  significant: document.querySelectorAll('svg#distance-chart g.significant').length,
                  banner: !!document.querySelector('#synthetic-banner'),
                  title: document.title
                })
                """,
                ct
            )
        )!.GetValue<string>();
        var c = System.Text.Json.JsonDocument.Parse(charts).RootElement;
        Assert.True(c.GetProperty("radar").GetInt32() >= models.Count, charts);
        Assert.True(c.GetProperty("radarWidth").GetDouble() > 300, charts);
        Assert.Equal(models.Count * 10, c.GetProperty("heatCells").GetInt32());
        Assert.True(c.GetProperty("heatWidth").GetDouble() > 500, charts);
        Assert.Equal(models.Count * models.Count, c.GetProperty("distanceCells").GetInt32());
        Assert.Equal(models.Count * (models.Count - 1), c.GetProperty("significant").GetInt32());
        Assert.True(c.GetProperty("banner").GetBoolean());
        Assert.Equal("adaem report · fixture", c.GetProperty("title").GetString());
    }
}
