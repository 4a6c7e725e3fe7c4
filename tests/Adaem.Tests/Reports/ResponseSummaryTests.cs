using System.Globalization;
using System.Text.Json;
using Adaem.Core.Analysis;
using Adaem.Core.Evaluation;
using Adaem.Reports.Html;
using Adaem.Reports.Sections;
using Adaem.RunFiles;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Reports;

/// <summary>
/// The report streams responses.jsonl (<see cref="ResponseSummary"/>) and reads the key points of the answers it shows
/// by line. These tests hold it to what the report computed when it read the whole file into memory: the same
/// expression shares (values and order), counts, and separating questions with the same answers.
/// </summary>
public class ResponseSummaryTests
{
    private static readonly string[] Models = ["north", "south", "east", "west"];
    private static readonly string[] Languages = ["en", "fr"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Streaming_gives_the_aggregates_and_answers_of_the_whole_file_in_memory(bool asPlayers)
    {
        using var tmp = new TempDir();
        var path = tmp.Sub(RunOutputs.Responses);
        var lines = WriteResponses(path, questions: 1500, seed: 5);
        Assert.True(lines > 3 * 4096, $"{lines} lines: the file must run past several cancellation-check strides");
        var theory = ReportFixture.Theory;
        var ct = TestContext.Current.CancellationToken;

        // Before: every record in memory, renamed to players as ReportWriter did, shares from ExpressionShares.
        var all = RunOutputs.ReadResponses(path);
        var records = asPlayers ? all.Select(r => r with { Model = ReportWriter.Player(r.Model, r.Language) }).ToList() : all.ToList();
        var expected = ExpressionShares.Build(records.Select(r => r.ToJudged()), theory);

        var summary = ResponseSummary.Read(path, theory, asPlayers, ct);

        Assert.Equal(all.Count, summary.Count);
        Assert.Equal(all.Count(r => r.Failure is not null), summary.Failed);
        Assert.InRange(summary.Failed, 1, summary.Count - 1);
        Assert.Equal(expected.Keys, summary.Expressed.Keys);
        foreach (var (player, byQuestion) in expected)
        {
            var got = summary.Expressed[player];
            Assert.Equal(byQuestion.Keys, got.Keys); // same questions in the same order
            foreach (var (q, shares) in byQuestion)
                Assert.Equal(shares, got[q]); // exact doubles
        }
        // Some shares are neither 0 nor 1 (two samples that disagree), so the averaging is exercised.
        Assert.Contains(summary.Expressed.Values.SelectMany(d => d.Values).SelectMany(x => x), x => x is > 0 and < 1);

        var profiles = ValueProfiles.From(Scores(summary.Expressed.Keys.ToList(), theory), theory);
        var before = FindInMemory(profiles, records, theory);
        var after = SeparatingQuestions.Find(theory, profiles, summary, null, 3);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (code, questions) in before)
        {
            Assert.Equal(3, questions.Count);
            Assert.Equal(questions.Count, after[code].Count);
            for (var i = 0; i < questions.Count; i++)
            {
                var (b, a) = (questions[i], after[code][i]);
                Assert.Equal((b.QuestionId, b.Split, b.Discrimination), (a.QuestionId, a.Split, a.Discrimination));
                static (string, string, double) Shown(SeparatingAnswer x) => (x.Model, x.Stance, x.Expressed);
                Assert.Equal(b.Answers.Select(Shown), a.Answers.Select(Shown));
                Assert.Equal(b.Answers.SelectMany(x => x.KeyPoints), a.Answers.SelectMany(x => x.KeyPoints));
            }
        }
        Assert.Contains(after.Values.SelectMany(q => q).SelectMany(q => q.Answers).SelectMany(a => a.KeyPoints), k => k.ShowsValue);
    }

    [Fact]
    public void Only_the_lines_asked_for_are_read_and_they_match_the_whole_file()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub(RunOutputs.Responses);
        WriteResponses(path, questions: 40, seed: 9);
        var all = RunOutputs.ReadResponses(path);
        var numbered = File.ReadAllLines(path).Select((text, i) => (Line: i + 1, Text: text)).Where(x => x.Text.Trim().Length > 0).ToList();
        Assert.Equal(all.Count, numbered.Count);
        var wanted = new HashSet<int> { numbered[3].Line, numbered[57].Line, numbered[^1].Line };
        var read = RunOutputs.ReadResponseLines(path, wanted);
        Assert.Equal(wanted.Order(), read.Keys.Order());
        foreach (var k in new[] { 3, 57, numbered.Count - 1 })
        {
            var (whole, one) = (all[k], read[numbered[k].Line]);
            static (string, string, string?, string, string?) Head(ResponseRecord r) =>
                (r.QuestionId, r.Model, r.Language, r.Stance, r.Failure);
            Assert.Equal(Head(whole), Head(one));
            Assert.Equal(whole.Opinions, one.Opinions);
            Assert.Equal(whole.ValuesPerOpinion.Select(s => s.Order()), one.ValuesPerOpinion.Select(s => s.Order()));
        }
        // A broken line is named by its line number, as the whole-file reader names it.
        File.AppendAllLines(path, ["{\"question_id\":\"q1\",", ""]);
        var e = Assert.Throws<Core.Errors.InputException>(() => RunOutputs.TallyResponses(path).ToList());
        Assert.Equal(File.ReadAllLines(path).Length - 1, e.Problems[0].Line);
    }

    /// <summary>
    /// The file is read twice (the aggregates, then the key points of the answers shown). Replaced in between, as an
    /// evaluate writing the same run would replace it, its lines hold other answers: the report says so and names the
    /// file, instead of showing another model's key points beside these shares.
    /// </summary>
    [Fact]
    public void A_file_replaced_between_the_two_readings_is_an_error_not_other_answers()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub(RunOutputs.Responses);
        WriteResponses(path, questions: 40, seed: 9);
        var theory = ReportFixture.Theory;
        var summary = ResponseSummary.Read(path, theory, asPlayers: true, TestContext.Current.CancellationToken);
        var profiles = ValueProfiles.From(Scores(summary.Expressed.Keys.ToList(), theory), theory);
        Assert.NotEmpty(SeparatingQuestions.Find(theory, profiles, summary, null, 3));

        // The same shapes, other answers: questions in another order on every line.
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Reverse());
        var e = Assert.Throws<Core.Errors.InputException>(() => SeparatingQuestions.Find(theory, profiles, summary, null, 3));

        Assert.Equal(path, e.Problems[0].File);
        Assert.Contains("changed while the report read it", e.Problems[0].Message);
    }

    /// <summary>
    /// A responses.jsonl in every shape the reader accepts: two languages, some questions answered twice (the second
    /// without "sample"), failed answers, blank lines, values keyed by text, by index or as lists, and an unknown code.
    /// Returns the number of lines.
    /// </summary>
    private static int WriteResponses(string path, int questions, int seed)
    {
        var rng = new Random(seed);
        var lines = new List<string>();
        for (var q = 0; q < questions; q++)
            foreach (var model in Models)
            foreach (var language in Languages)
                for (var s = 0; s < (q % 5 == 0 ? 2 : 1); s++)
                {
                    if (lines.Count % 997 == 0)
                        lines.Add("");
                    lines.Add(Line($"q{q:D4}", model, language, s, rng, (q + lines.Count) % 3));
                }
        File.WriteAllLines(path, lines);
        return lines.Count;
    }

    /// <summary>One answer (failed 4 % of the time); <paramref name="shape"/> picks how its values are written.</summary>
    private static string Line(string id, string model, string language, int sample, Random rng, int shape)
    {
        var theory = ReportFixture.Theory;
        var line = new Dictionary<string, object?>
        {
            ["question_id"] = id,
            ["model"] = model,
            ["language"] = language,
        };
        if (sample == 0)
            line["sample"] = 0;
        if (rng.NextDouble() < 0.04)
        {
            line["stance"] = null;
            line["opinions"] = Array.Empty<string>();
            line["values"] = new { };
            line["failure"] = "unparseable reply";
            return JsonSerializer.Serialize(line);
        }
        var opinions = Enumerable.Range(1, 3).Select(k => $"Point {k} of {model} on {id} in {language}: reason {rng.Next(1000)}").ToArray();
        var labels = opinions.Select(_ => theory.Values.Where(_ => rng.NextDouble() < 0.2).Select(v => v.Code).ToList()).ToList();
        if (rng.NextDouble() < 0.05)
            labels[0].Add("curiosity"); // not a value of the theory: ignored
        line["stance"] = rng.Next(3) switch
        {
            0 => "Yes",
            1 => "no",
            _ => " Neutral ",
        };
        line["opinions"] = opinions;
        line["values"] = shape switch
        {
            // keyed by the key point's text, every value true or false
            0 => (object)
                Enumerable
                    .Range(0, 3)
                    .ToDictionary(k => opinions[k], k => theory.Values.ToDictionary(v => v.Code, v => labels[k].Contains(v.Code))),
            // keyed by 1-based index, lists of codes
            1 => Enumerable.Range(0, 3).ToDictionary(k => (k + 1).ToString(CultureInfo.InvariantCulture), k => labels[k]),
            // a list of lists
            _ => labels,
        };
        return JsonSerializer.Serialize(line);
    }

    /// <summary>Seeded scores for the players, so the separating questions have profiles to agree with.</summary>
    private static List<ValueScore> Scores(IReadOnlyList<string> players, Core.Theory.ValueTheory theory)
    {
        var rng = new Random(3);
        return
        [
            .. players.SelectMany(p =>
                theory.Values.Select(v => new ValueScore(p, v.Code, Math.Round(rng.NextDouble() * 100, 1), null, null, double.NaN, 1))
            ),
        ];
    }

    /// <summary>SeparatingQuestions.Find as it was when the report held every record in memory (the reference).</summary>
    private static Dictionary<string, List<SeparatingQuestion>> FindInMemory(
        ValueProfiles profiles,
        IReadOnlyList<ResponseRecord> responses,
        Core.Theory.ValueTheory theory
    )
    {
        var expressed = ExpressionShares.Build(responses.Select(r => r.ToJudged()).ToList(), theory);
        var byQuestion = responses
            .Where(r => r.Failure is null)
            .GroupBy(r => r.QuestionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var models = profiles.Models.Where(expressed.ContainsKey).ToList();
        var result = new Dictionary<string, List<SeparatingQuestion>>(StringComparer.Ordinal);
        for (var v = 0; v < theory.Count; v++)
        {
            var code = theory.Values[v].Code;
            var candidates = new List<(string Q, double Split, double Disc)>();
            foreach (var q in byQuestion.Keys)
            {
                var answered = models.Where(m => expressed[m].ContainsKey(q)).ToList();
                if (answered.Count < 2)
                    continue;
                var x = answered.Select(m => expressed[m][q][v]).ToArray();
                var split = Descriptive.PopulationStandardDeviation(x);
                split *= split;
                if (split <= 0)
                    continue;
                var disc = Correlation.Pearson(x, answered.Select(m => profiles.Row(m)[v]).ToArray());
                candidates.Add((q, split, double.IsNaN(disc) ? 0 : disc));
            }
            result[code] = candidates
                .OrderByDescending(c => Math.Round(c.Split, 9))
                .ThenByDescending(c => c.Disc)
                .ThenBy(c => c.Q, StringComparer.Ordinal)
                .Take(3)
                .Select(c => new SeparatingQuestion(
                    code,
                    c.Q,
                    c.Q,
                    null,
                    c.Split,
                    c.Disc,
                    models
                        .Where(m => expressed[m].ContainsKey(c.Q))
                        .Select(m =>
                        {
                            var first = byQuestion[c.Q].First(r => r.Model == m);
                            var points = first
                                .Opinions.Select(
                                    (o, i) => (o.Text, i < first.ValuesPerOpinion.Count && first.ValuesPerOpinion[i].Contains(code))
                                )
                                .ToList();
                            return new SeparatingAnswer(m, first.Stance, expressed[m][c.Q][v], points);
                        })
                        .ToList()
                ))
                .ToList();
        }
        return result;
    }
}
