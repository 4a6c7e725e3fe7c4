using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Generation;
using Adaem.Providers.Local;
using Microsoft.Extensions.AI;

namespace Adaem.Bench;

/// <summary>
/// The built-in sentence encoder (provider local, all-MiniLM-L6-v2): load time, texts per second in the
/// engine's batches and one text at a time, and the dedup search of one candidate against 20,000 stored
/// 384-dimension vectors (target: median under 5 ms). The stored vectors are random unit vectors (the
/// search costs the same whatever they are; encoding 20,000 questions would take minutes); a last line
/// times a whole check with a fresh question through the real encoder.
/// </summary>
public sealed class EncoderBench : IBench
{
    public string Name => "encoder";
    public string Description => "local sentence encoder: load, texts/s; dedup against 20,000 stored 384-d vectors (median)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var stored = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var questions = new DedupBench.SyntheticQuestions(new Random(1));
        var encoder = LocalEncoders.Find(LocalEncoders.MiniLm)!;
        var generator = LocalEncoders.Create(encoder);

        var load = generator.LoadTime;
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"encoder: {encoder.Name} ({encoder.Version}), {encoder.Dimensions} dimensions, loaded in {load.TotalMilliseconds:0} ms"
            )
        );
        await generator.GenerateAsync(["Should zoos close?"], cancellationToken: cancellationToken); // first run of the session

        var texts = Enumerable.Range(0, 512).Select(_ => questions.Next()).ToList();
        var clock = Stopwatch.StartNew();
        await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        var batched = texts.Count / clock.Elapsed.TotalSeconds;
        var single = new double[64];
        for (var i = 0; i < single.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await generator.GenerateAsync([questions.Next()], cancellationToken: cancellationToken);
            single[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        Array.Sort(single);
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"encoder: {batched:0} texts/s in batches of {LocalEmbeddingGenerator.BatchSize} ({1000 / batched:0.0} ms per text, {texts.Count} questions); one text alone: median {single[single.Length / 2]:0.0} ms"
            )
        );

        // The search: EmbeddingDedupIndex over `stored` random 384-d unit vectors; candidates' vectors are prepared too.
        var vectors = new RandomVectors(encoder.Dimensions, seed: 1);
        var index = new EmbeddingDedupIndex(vectors, topK: 3);
        var build = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, stored).Chunk(1000))
            await index.AddAsync(chunk.Select(i => ($"q{i}", $"stored question {i}")).ToList(), cancellationToken);
        build.Stop();
        const int queries = 2_000;
        var candidates = Enumerable.Range(0, queries).Select(i => $"candidate {i}").ToList();
        await vectors.GenerateAsync(candidates, cancellationToken: cancellationToken);
        for (var i = 0; i < 100; i++)
            await index.CheckAsync(candidates[i], cancellationToken); // warm up the JIT
        var times = new double[queries];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < queries; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await index.CheckAsync(candidates[i], cancellationToken);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        var cpuPerCheck = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / queries;
        Array.Sort(times);
        var median = times[queries / 2];
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"dedup: {stored} stored {encoder.Dimensions}-d vectors (added in {build.Elapsed.TotalMilliseconds:0} ms), {queries} candidates: search median {median:0.000} ms, p95 {times[(int)(queries * 0.95)]:0.000} ms, process CPU {cpuPerCheck:0.000} ms per check; target 5 ms → median is {median / 5.0:0.000}x the target"
            )
        );

        // A whole check of a fresh question: encode it with the real model, then search.
        var real = new EmbeddingDedupIndex(new Reuse(generator, vectors), topK: 3);
        await real.AddAsync(Enumerable.Range(0, stored).Select(i => ($"q{i}", $"stored question {i}")).ToList(), cancellationToken);
        var whole = new double[32];
        for (var i = 0; i < whole.Length; i++)
        {
            var q = questions.Next();
            var t = Stopwatch.GetTimestamp();
            await real.CheckAsync(q, cancellationToken);
            whole[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        Array.Sort(whole);
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"dedup: a fresh question encoded and checked against {stored}: median {whole[whole.Length / 2]:0.0} ms (the encoding dominates; cached on rerun)"
            )
        );
        return median < 5.0 ? 0 : 1;
    }

    /// <summary>A seeded random unit vector per text, remembered, so the index sees a stable embedding model.</summary>
    private sealed class RandomVectors(int dimensions, int seed) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly Random _rng = new(seed);
        private readonly Dictionary<string, Embedding<float>> _known = new(StringComparer.Ordinal);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var text in values)
            {
                if (!_known.TryGetValue(text, out var e))
                {
                    var v = new float[dimensions];
                    for (var i = 0; i < v.Length; i++)
                        v[i] = (float)(_rng.NextDouble() * 2 - 1);
                    _known[text] = e = new Embedding<float>(DenseVector.Normalize(v));
                }
                result.Add(e);
            }
            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }

    /// <summary>Stored texts from the random vectors, anything else from the real encoder.</summary>
    private sealed class Reuse(IEmbeddingGenerator<string, Embedding<float>> real, RandomVectors stored)
        : IEmbeddingGenerator<string, Embedding<float>>
    {
        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            var texts = values.ToList();
            return texts.All(t => t.StartsWith("stored question ", StringComparison.Ordinal))
                ? await stored.GenerateAsync(texts, options, cancellationToken)
                : await real.GenerateAsync(texts, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
