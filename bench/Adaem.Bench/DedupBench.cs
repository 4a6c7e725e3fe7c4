using System.Diagnostics;
using System.Globalization;
using Adaem.Core.Generation;

namespace Adaem.Bench;

/// <summary>
/// Dedup of one candidate against 20,000 stored questions (target: median under 5 ms). The stored questions
/// are synthetic but shaped like AdAEM's (one sentence, ~15 words, shared framing, overlapping topics).
/// Prints the median and p95 of Check() over 2,000 candidates and the ratio to the target.
/// </summary>
public sealed class DedupBench : IBench
{
    public string Name => "dedup";
    public string Description => "dedup check of one candidate against 20,000 stored questions (median, p95)";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var stored = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        const int queries = 2_000;
        var rng = new Random(1);
        var generator = new SyntheticQuestions(rng);

        var index = new DedupIndex(topK: 3);
        var build = Stopwatch.StartNew();
        for (var i = 0; i < stored; i++)
            index.Add($"q{i}", generator.Next());
        build.Stop();

        var candidates = Enumerable.Range(0, queries).Select(_ => generator.Next()).ToList();
        for (var i = 0; i < 200; i++)
            index.Check(candidates[i]); // warm up the JIT

        var times = new double[queries];
        var duplicates = 0;
        for (var i = 0; i < queries; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var r = index.Check(candidates[i]);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (r.IsDuplicate(0.85))
                duplicates++;
        }
        Array.Sort(times);
        var median = times[queries / 2];
        var p95 = times[(int)(queries * 0.95)];
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"dedup: {stored} stored questions (index built in {build.Elapsed.TotalMilliseconds:0} ms), {queries} candidates"
            )
        );
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"dedup: check median {median:0.000} ms, p95 {p95:0.000} ms; target 5 ms → median is {median / 5.0:0.000}x the target; {duplicates} flagged as duplicates"
            )
        );
        return Task.FromResult(median < 5.0 ? 0 : 1);
    }

    /// <summary>"In Kenya, should nurses fund rural ferries despite rising costs?"-like sentences from a fixed vocabulary.</summary>
    internal sealed class SyntheticQuestions(Random rng)
    {
        private static readonly string[] Places =
        [
            "Kenya",
            "Brazil",
            "Norway",
            "Japan",
            "India",
            "Mexico",
            "Poland",
            "Chile",
            "Vietnam",
            "Canada",
            "Egypt",
            "France",
            "Nigeria",
            "Peru",
            "Germany",
            "Indonesia",
            "Turkey",
            "Spain",
            "Ghana",
            "Korea",
            "Italy",
            "Morocco",
            "Sweden",
            "Argentina",
            "Thailand",
            "Australia",
            "rural towns",
            "coastal cities",
            "mountain villages",
            "border regions",
            "island states",
            "university towns",
            "mining regions",
        ];
        private static readonly string[] Actors =
        [
            "governments",
            "farmers",
            "nurses",
            "teachers",
            "landlords",
            "tech firms",
            "churches",
            "unions",
            "parents",
            "students",
            "judges",
            "police forces",
            "city councils",
            "retirees",
            "doctors",
            "banks",
            "artists",
            "athletes",
            "soldiers",
            "journalists",
            "migrants",
            "employers",
            "families",
            "schools",
            "hospitals",
            "museums",
            "startups",
            "fishermen",
            "scientists",
            "platforms",
        ];
        private static readonly string[] Verbs =
        [
            "ban",
            "fund",
            "tax",
            "subsidise",
            "regulate",
            "allow",
            "require",
            "restrict",
            "prioritise",
            "protect",
            "censor",
            "privatise",
        ];
        private static readonly string[] Objects =
        [
            "facial recognition",
            "night shifts",
            "religious schools",
            "gene editing",
            "cash payments",
            "gambling ads",
            "meat production",
            "nuclear plants",
            "private tutoring",
            "street protests",
            "arranged marriages",
            "online anonymity",
            "organ sales",
            "school uniforms",
            "surrogacy contracts",
            "drone deliveries",
            "fossil cars",
            "hunting permits",
            "homework",
            "public broadcasting",
            "sugary drinks",
            "short-term rentals",
            "tipping",
            "military service",
            "space tourism",
            "rent increases",
            "AI tutors",
            "zoos",
            "bullfighting",
        ];
        private static readonly string[] Qualifiers =
        [
            "despite rising costs",
            "during elections",
            "for minors",
            "after recent scandals",
            "to protect local culture",
            "in times of crisis",
            "even if jobs are lost",
            "for the sake of tradition",
            "to attract investment",
            "when public safety is at risk",
            "",
            "",
            "",
        ];

        private string Pick(string[] a) => a[rng.Next(a.Length)];

        public string Next()
        {
            var q = rng.Next(3) switch
            {
                0 => $"In {Pick(Places)}, should {Pick(Actors)} {Pick(Verbs)} {Pick(Objects)} {Pick(Qualifiers)}",
                1 => $"Should {Pick(Actors)} in {Pick(Places)} {Pick(Verbs)} {Pick(Objects)} {Pick(Qualifiers)}",
                _ => $"Is it right for {Pick(Actors)} to {Pick(Verbs)} {Pick(Objects)} in {Pick(Places)} {Pick(Qualifiers)}",
            };
            return q.TrimEnd() + "?";
        }
    }
}
