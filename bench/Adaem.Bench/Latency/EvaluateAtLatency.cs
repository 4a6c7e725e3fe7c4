using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Adaem.Tests.Providers;

namespace Adaem.Bench.Latency;

/// <summary>What one `adaem evaluate` against the loopback server measured.</summary>
/// <param name="FirstRequest">Process start to the first request reaching the server.</param>
/// <param name="CallPhase">First request received to the last reply sent (the server's clock).</param>
/// <param name="EndToEnd">Process start to exit.</param>
/// <param name="Limit">The shortest call phase the configured concurrency allows (<see cref="IdealSchedule.CallPhase"/>).</param>
/// <param name="Fluid">The judge's calls over its calls per second (<see cref="IdealSchedule.Fluid"/>): below <paramref name="Limit"/>,
/// and out of any schedule's reach.</param>
public sealed record EvaluateTiming(
    int Questions,
    int Targets,
    int Concurrency,
    TimeSpan Latency,
    int Requests,
    TimeSpan FirstRequest,
    TimeSpan CallPhase,
    TimeSpan EndToEnd,
    TimeSpan Limit,
    TimeSpan Fluid,
    int MaxInFlight
)
{
    /// <summary>Limit over the measured call phase: 1 is the shortest call phase any client could have at these limits.</summary>
    public double Ratio => Limit / CallPhase;

    /// <summary>The fluid bound over the measured call phase (the ratio this bench printed before it knew the limit).</summary>
    public double FluidRatio => Fluid / CallPhase;

    /// <summary>The fluid bound over the limit: the most <see cref="FluidRatio"/> can be.</summary>
    public double FluidCeiling => Fluid / Limit;

    /// <summary>Every request over the time from process start to exit.</summary>
    public double CallsPerSecond => Requests / EndToEnd.TotalSeconds;

    /// <summary><see cref="CallsPerSecond"/> over what one model answers at its concurrency and latency (concurrency / latency).</summary>
    public double CallsPerSecondRatio => CallsPerSecond / (Concurrency / Latency.TotalSeconds);

    /// <summary>The child's stdout lines, each with when it was read (from the process start).</summary>
    public IReadOnlyList<(TimeSpan At, string Text)> Lines { get; init; } = [];

    /// <summary>The child's peak resident set (ru_maxrss) in bytes, when it was run under <see cref="PeakRss"/>; else null.</summary>
    public long? PeakRssBytes { get; init; }

    /// <summary>The most requests of one model the server held at once (at most the configured concurrency).</summary>
    public int MaxInFlightPerModel { get; init; }

    /// <summary>Process start to the reply to the last request (the time the tail after it starts from).</summary>
    public TimeSpan LastReply { get; init; }
}

/// <summary>
/// The real CLI (`adaem evaluate --questions`) with every target and the judge an openai-compatible model on
/// the loopback stub at a set latency and concurrency. The stub answers in the formats the parsers read: a
/// stance and three key points for an opinion prompt (worded from a hash of model and prompt, so no two
/// answers, and so no two judge prompts, share a cache key) and a batched JSON label list for the judge.
/// </summary>
internal static class EvaluateAtLatency
{
    /// <param name="measureMemory">Run the CLI under <see cref="PeakRss"/> (a small wrapper process) to read its peak resident set; the
    /// wrapper's own start is then part of the times, so timing runs leave it off.</param>
    public static async Task<EvaluateTiming> RunAsync(
        string dll,
        string dir,
        int questions,
        int targets,
        int concurrency,
        TimeSpan latency,
        CancellationToken ct,
        bool measureMemory = false
    )
    {
        var folder = Directory
            .CreateDirectory(Path.Combine(dir, $"eval-{questions}x{targets}-c{concurrency}-{latency.TotalMilliseconds:0}ms"))
            .FullName;
        await using var stub = await OpenAIStub.StartAsync(ct);
        stub.Latency = latency;
        long first = 0,
            last = 0;
        var arrivals = new System.Collections.Concurrent.ConcurrentQueue<(string Model, long At)>();
        stub.Script = r =>
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref first, now, 0);
            Interlocked.Exchange(ref last, now);
            arrivals.Enqueue((r.Body?["model"]?.GetValue<string>() ?? "", now));
            return Answer(r);
        };

        var names = Enumerable.Range(1, targets).Select(i => $"t{i}").ToList();
        var config = Path.Combine(folder, "adaem.yaml");
        var models = string.Concat(
            names
                .Append("judge")
                .Select(n =>
                    $"  {n}: {{ provider: openai-compatible, base_url: \"{stub.BaseUrl}\", model: {n}, concurrency: {concurrency} }}\n"
                )
        );
        await File.WriteAllTextAsync(
            config,
            $"""
            store: bench.db
            models:
            {models}judge: {"{"} model: judge, mode: batched {"}"}
            evaluation:
              targets: [{string.Join(", ", names)}]
              opinions: 3
              bootstrap: 20
            """,
            ct
        );
        var file = Path.Combine(folder, "questions.jsonl");
        await File.WriteAllLinesAsync(
            file,
            Enumerable
                .Range(1, questions)
                .Select(i =>
                    JsonSerializer.Serialize(new { id = $"q{i:D5}", question = $"Should town {i} ban cars from its centre on Sundays?" })
                ),
            ct
        );

        var rssFile = Path.Combine(folder, "peak-rss");
        string[] command = [dll, "evaluate", "-c", config, "--questions", file, "--quiet"];
        if (measureMemory)
            command = [Path.Combine(AppContext.BaseDirectory, "Adaem.Bench.dll"), PeakRss.Command, rssFile, "dotnet", .. command];
        var prefix = Environment.GetEnvironmentVariable("ADAEM_BENCH_CHILD_PREFIX") is { Length: > 0 } pre ? pre.Split(' ') : [];
        var psi = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix.Skip(1).Append(prefix.Length > 0 ? "dotnet" : null).OfType<string>().Concat(command))
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var start = Stopwatch.GetTimestamp();
        using var p = Process.Start(psi)!;
        var lines = new List<(TimeSpan, string)>();
        var stdout = Task.Run(
            async () =>
            {
                while (await p.StandardOutput.ReadLineAsync(ct) is { } line)
                    lines.Add((Stopwatch.GetElapsedTime(start), line));
            },
            ct
        );
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var end = Stopwatch.GetTimestamp();
        await stdout;
        if (p.ExitCode != 0)
            throw new InvalidOperationException(
                $"adaem evaluate exited {p.ExitCode}\n{string.Join('\n', lines.Select(l => l.Item2))}{await stderr}"
            );
        var expected = questions * targets * 2;
        if (stub.Count != expected)
            throw new InvalidOperationException(
                $"expected {expected} requests (an answer and a judgment per question and target), the server saw {stub.Count}"
            );

        // The last request's reply left the server one latency after it arrived.
        return new EvaluateTiming(
            questions,
            targets,
            concurrency,
            latency,
            stub.Count,
            Stopwatch.GetElapsedTime(start, first),
            Stopwatch.GetElapsedTime(first, last) + latency,
            Stopwatch.GetElapsedTime(start, end),
            IdealSchedule.CallPhase(questions, targets, concurrency, latency),
            IdealSchedule.Fluid(questions, targets, concurrency, latency),
            stub.MaxInFlight
        )
        {
            Lines = lines,
            PeakRssBytes = measureMemory ? long.Parse(await File.ReadAllTextAsync(rssFile, ct), CultureInfo.InvariantCulture) : null,
            LastReply = Stopwatch.GetElapsedTime(start, last) + latency,
            MaxInFlightPerModel = MostAtOnce(arrivals, latency),
        };
    }

    /// <summary>
    /// The most requests of one model the server held at once: each is held one latency, so that is about the most
    /// arrivals of the model within one latency. It must not exceed the model's concurrency. The window is 0.9 of
    /// the latency: arrivals are stamped when the server has read the request, so a slot's next request can be
    /// stamped a little less than a latency after the one before it (a timer that fires a millisecond early, a
    /// request read late), while a client that overran its limit would show up to twice its concurrency.
    /// </summary>
    private static int MostAtOnce(IEnumerable<(string Model, long At)> arrivals, TimeSpan latency)
    {
        var most = 0;
        var window = (long)(0.9 * latency.TotalSeconds * Stopwatch.Frequency);
        foreach (var model in arrivals.GroupBy(a => a.Model))
        {
            var times = model.Select(a => a.At).Order().ToArray();
            for (int i = 0, j = 0; i < times.Length; i++)
            {
                while (times[i] - times[j] >= window)
                    j++;
                most = Math.Max(most, i - j + 1);
            }
        }
        return most;
    }

    /// <summary>A judge reply for the batched judge prompt, else an opinion reply; both worded from the prompt.</summary>
    private static StubReply Answer(StubRequest r)
    {
        var model = r.Body?["model"]?.GetValue<string>() ?? "";
        var h = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + r.Prompt)))[..10];
        if (r.Prompt.Contains("numbered opinions taken from one answer", StringComparison.Ordinal))
            return StubReply.Chat(
                """{"opinions":[{"index":1,"values":["universalism"]},{"index":2,"values":["self_direction"]},{"index":3,"values":[]}]}"""
            );
        return StubReply.Chat(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Stance: yes\nKey Points:\n1. Clean air {h}: fewer cars protect the health of everyone.\n2. Free choice {h}: people should decide how they travel.\n3. Local trade {h}: shops depend on visitors who drive.\n"
            )
        );
    }
}
