using System.Globalization;
using System.Text;
using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Tests.Reports;

/// <summary>A target with a latent probability of expressing each value (theory order).</summary>
internal sealed record FixtureModel(string Name, double[] Profile);

/// <summary>
/// Writes a small run directory in the file contract of the architecture page (questions.jsonl,
/// responses.jsonl, scores.json) from latent profiles, so report and validity tests have files to read.
/// Deterministic for a seed.
/// </summary>
internal static class ReportFixture
{
    public static readonly string[] Categories = ["Technology & Innovation", "Social & Cultural Issues", "Economics & Business"];
    private static readonly string[] Topics =
    [
        "remote work",
        "nuclear power",
        "school uniforms",
        "street art",
        "gene editing",
        "rent control",
        "space tourism",
        "public libraries",
        "night trains",
        "sugar taxes",
    ];
    private static readonly string[] Places = ["Lagos", "Osaka", "Lyon", "Quito", "Tartu", "Perth", "Pune", "Bergen"];

    public static ValueTheory Theory => TheoryLoader.Load("schwartz10");

    /// <summary>Six clearly different profiles (like examples/offline.yaml).</summary>
    public static IReadOnlyList<FixtureModel> DistinctModels(int count = 4)
    {
        var all = new[]
        {
            new FixtureModel("progressive", [0.8, 0.5, 0.4, 0.3, 0.05, 0.2, 0.15, 0.1, 0.7, 0.9]),
            new FixtureModel("traditionalist", [0.15, 0.1, 0.1, 0.35, 0.4, 0.8, 0.85, 0.9, 0.6, 0.25]),
            new FixtureModel("achiever", [0.6, 0.5, 0.45, 0.9, 0.85, 0.4, 0.3, 0.2, 0.1, 0.15]),
            new FixtureModel("hedonist", [0.7, 0.85, 0.9, 0.5, 0.3, 0.15, 0.1, 0.05, 0.3, 0.3]),
            new FixtureModel("guardian", [0.2, 0.15, 0.1, 0.5, 0.7, 0.9, 0.7, 0.55, 0.35, 0.2]),
            new FixtureModel("carer", [0.35, 0.15, 0.2, 0.2, 0.05, 0.5, 0.6, 0.45, 0.9, 0.75]),
        };
        return all.Take(count).ToList();
    }

    /// <summary>Models that all share one profile: nothing real to tell apart.</summary>
    public static IReadOnlyList<FixtureModel> IdenticalModels(int count = 4) =>
        Enumerable.Range(0, count).Select(i => new FixtureModel($"clone{i}", [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])).ToList();

    public static IReadOnlyList<(string Id, string Text, string Category)> Questions(int count, int seed = 1)
    {
        var rng = new Random(seed);
        return Enumerable
            .Range(0, count)
            .Select(i =>
            {
                var topic = Topics[rng.Next(Topics.Length)];
                var place = Places[rng.Next(Places.Length)];
                var text = (i % 3) switch
                {
                    0 => $"Should {place} ban {topic} to protect its residents?",
                    1 => $"Is {topic} in {place} worth the cost for young families?",
                    _ => $"Should the council of {place} fund {topic} instead of new roads?",
                };
                return ($"q{i:D4}", text, Categories[i % Categories.Length]);
            })
            .ToList();
    }

    /// <summary>Judged answers drawn from the latent profiles: each value is expressed with the model's probability,
    /// in one of three key points.</summary>
    public static List<JudgedResponse> Responses(
        IReadOnlyList<FixtureModel> models,
        IReadOnlyList<(string Id, string Text, string Category)> questions,
        int seed = 7
    )
    {
        var theory = Theory;
        var rng = new Random(seed);
        var result = new List<JudgedResponse>();
        foreach (var q in questions)
        foreach (var m in models)
        {
            var sets = Enumerable.Range(0, 3).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToList();
            for (var v = 0; v < theory.Count; v++)
                if (rng.NextDouble() < m.Profile[v])
                    sets[rng.Next(3)].Add(theory.Values[v].Code);
            var opinions = sets.Select(
                    (s, k) =>
                        new Opinion(
                            $"Point {k + 1} of {m.Name} on {q.Id}",
                            s.Count == 0
                                ? "it is mostly a practical matter"
                                : $"it matters for {string.Join(" and ", s.Select(c => theory[c].Name.ToLowerInvariant()))}"
                        )
                )
                .ToList();
            var stance = rng.Next(3) switch
            {
                0 => Stances.Yes,
                1 => Stances.No,
                _ => Stances.Neutral,
            };
            result.Add(
                new JudgedResponse(
                    q.Id,
                    m.Name,
                    0,
                    new ParsedResponse(stance, opinions),
                    sets.Select(s => (IReadOnlySet<string>)s).ToList()
                )
            );
        }
        return result;
    }

    /// <summary>Writes questions.jsonl, responses.jsonl and scores.json (scored with <see cref="RateScoring"/>) into <paramref
    /// name="dir"/>.</summary>
    public static void Write(
        string dir,
        IReadOnlyList<FixtureModel> models,
        int questionCount,
        int seed = 1,
        bool withQuestions = true,
        bool withResponses = true
    )
    {
        Directory.CreateDirectory(dir);
        var questions = Questions(questionCount, seed);
        var responses = Responses(models, questions, seed + 6);
        if (withQuestions)
            File.WriteAllLines(
                Path.Combine(dir, "questions.jsonl"),
                questions.Select(q =>
                    JsonSerializer.Serialize(
                        new
                        {
                            id = q.Id,
                            question = q.Text,
                            argument = $"An argument behind {q.Id}",
                            seed = "s1",
                            category = q.Category,
                            generator = "gen-west",
                            score = 5.5,
                            components = new { value_diversity = 2.0 },
                        }
                    )
                )
            );
        if (withResponses)
            File.WriteAllLines(Path.Combine(dir, "responses.jsonl"), responses.Select(ResponseLine));
        var scores = new RateScoring().Score(responses, Theory, new EvaluationConfig(), CancellationToken.None);
        File.WriteAllText(
            Path.Combine(dir, "scores.json"),
            JsonSerializer.Serialize(
                scores.Select(s => new
                {
                    model = s.Model,
                    value = s.Value,
                    score = s.Score,
                    ci_low = s.CiLow,
                    ci_high = s.CiHigh,
                    expressed_rate = s.ExpressedRate,
                    n = s.N,
                })
            )
        );
    }

    /// <summary>One responses.jsonl line: opinions as "point: justification" strings, values keyed by opinion text.</summary>
    public static string ResponseLine(JudgedResponse r)
    {
        var theory = Theory;
        var values = new Dictionary<string, Dictionary<string, bool>>();
        for (var i = 0; i < r.Response!.Opinions.Count; i++)
            values[r.Response.Opinions[i].Text] = theory.Values.ToDictionary(v => v.Code, v => r.ValuesPerOpinion[i].Contains(v.Code));
        return JsonSerializer.Serialize(
            new
            {
                question_id = r.QuestionId,
                model = r.Model,
                stance = r.Response.Stance,
                opinions = r.Response.Opinions.Select(o => o.Text).ToArray(),
                values,
            }
        );
    }

    /// <summary>A config beside the run directory naming the fixture models (simulated or not).</summary>
    public static string WriteConfig(string root, IReadOnlyList<FixtureModel> models, bool simulated)
    {
        var sb = new StringBuilder();
        sb.AppendLine("store: adaem.db").AppendLine("theory: schwartz10").AppendLine("models:");
        foreach (var m in models)
            sb.AppendLine(
                simulated
                    ? $"  {m.Name}: {{ provider: simulated, profile: {{ {string.Join(", ", Theory.Values.Select((v, i) => $"{v.Code}: {m.Profile[i].ToString(CultureInfo.InvariantCulture)}"))} }} }}"
                    : $"  {m.Name}: {{ provider: openai-compatible, base_url: \"http://127.0.0.1:9/v1\", model: {m.Name}-chat }}"
            );
        sb.AppendLine(
            simulated
                ? "  judge: { provider: simulated }"
                : "  judge: { provider: openai-compatible, base_url: \"http://127.0.0.1:9/v1\", model: judge-large }"
        );
        sb.AppendLine("judge: { model: judge, mode: batched }");
        sb.AppendLine("evaluation:")
            .AppendLine($"  targets: [{string.Join(", ", models.Select(m => m.Name))}]")
            .AppendLine("  bootstrap: 100");
        var path = Path.Combine(root, "adaem.yaml");
        File.WriteAllText(path, sb.ToString());
        return path;
    }
}
