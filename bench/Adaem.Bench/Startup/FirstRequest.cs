using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Adaem.Tests.Providers;

namespace Adaem.Bench.Startup;

/// <summary>
/// Time from process start to adaem's first model request: `adaem evaluate --questions` on a fresh folder
/// (4 questions, 2 targets and a judge, all openai-compatible models on a loopback stub that answers at once),
/// and the wall time of the whole command. The stub answers in the formats the parsers read.
/// </summary>
internal static class FirstRequest
{
    public sealed record Timing(TimeSpan ToFirstRequest, TimeSpan Total);

    public static async Task<Timing> MeasureAsync(AdaemCommand adaem, string dir, CancellationToken ct)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "eval-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await using var stub = await OpenAIStub.StartAsync(ct);
        long first = 0;
        stub.Script = r =>
        {
            Interlocked.CompareExchange(ref first, Stopwatch.GetTimestamp(), 0);
            return Answer(r);
        };
        var models = string.Concat(
            new[] { "t1", "t2", "judge" }.Select(n =>
                $"  {n}: {{ provider: openai-compatible, base_url: \"{stub.BaseUrl}\", model: {n}, concurrency: 8 }}\n"
            )
        );
        var config = Path.Combine(folder, "adaem.yaml");
        await File.WriteAllTextAsync(
            config,
            $"store: bench.db\nmodels:\n{models}judge: {{ model: judge, mode: batched }}\nevaluation:\n  targets: [t1, t2]\n  opinions: 3\n  bootstrap: 20\n",
            ct
        );
        var questions = Path.Combine(folder, "questions.jsonl");
        await File.WriteAllLinesAsync(
            questions,
            Enumerable
                .Range(1, 4)
                .Select(i =>
                    JsonSerializer.Serialize(new { id = $"q{i:D5}", question = $"Should town {i} ban cars from its centre on Sundays?" })
                ),
            ct
        );

        var start = Stopwatch.GetTimestamp();
        using var p = Process.Start(adaem.StartInfo(folder, "evaluate", "-c", config, "--questions", questions, "--quiet"))!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var end = Stopwatch.GetTimestamp();
        if (p.ExitCode != 0 || first == 0)
            throw new InvalidOperationException(
                $"{adaem.Label}: adaem evaluate exited {p.ExitCode} after {stub.Count} requests\n{await stdout}{await stderr}"
            );
        return new Timing(Stopwatch.GetElapsedTime(start, first), Stopwatch.GetElapsedTime(start, end));
    }

    /// <summary>The batched judge's label list for a judge prompt, else a stance with three key points worded from the prompt.</summary>
    private static StubReply Answer(StubRequest r)
    {
        if (r.Prompt.Contains("numbered opinions taken from one answer", StringComparison.Ordinal))
            return StubReply.Chat(
                """{"opinions":[{"index":1,"values":["universalism"]},{"index":2,"values":["self_direction"]},{"index":3,"values":[]}]}"""
            );
        var h = Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes((r.Body?["model"]?.GetValue<string>() ?? "") + "\n" + r.Prompt))
        )[..10];
        return StubReply.Chat(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Stance: yes\nKey Points:\n1. Clean air {h}: fewer cars protect everyone's health.\n2. Free choice {h}: people should decide how they travel.\n3. Local trade {h}: shops depend on visitors who drive.\n"
            )
        );
    }
}
