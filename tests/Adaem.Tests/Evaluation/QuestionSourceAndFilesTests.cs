using System.Globalization;
using System.Text.Json;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.RunFiles;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>Reading question files, writing responses.jsonl / scores.csv / scores.json, and the store's evaluation tables.</summary>
public sealed class QuestionSourceAndFilesTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_our_questions_jsonl_with_ids_and_provenance()
    {
        var path = _temp.Write(
            "questions.jsonl",
            """
            {"id":"a1","question":"Should zoos close?","argument":"Zoos are cruel","seed":"Animal rights","category":"Ethics","score":7.2,"components":{"vc":1}}

            {"id":"a2","question":"Should cities ban cars?","generator":"gen-west"}
            """
        );
        var questions = QuestionSource.Read(path);
        Assert.Equal(["a1", "a2"], questions.Select(q => q.Id));
        Assert.Equal("Should zoos close?", questions[0].Text);
        Assert.Equal("Zoos are cruel", questions[0].Argument);
        Assert.Equal("Animal rights", questions[0].Seed);
        Assert.Equal("Ethics", questions[0].Category);
        Assert.Null(questions[1].Argument);
    }

    [Fact]
    public void Reads_any_csv_with_a_question_column_and_derives_stable_ids()
    {
        var path = _temp.Write(
            "mine.csv",
            "topic,question\nanimals,\"Should zoos close, or reform?\"\ntransport,Should cities ban cars?\n"
        );
        var questions = QuestionSource.Read(path);
        Assert.Equal(2, questions.Count);
        Assert.Equal("Should zoos close, or reform?", questions[0].Text);
        Assert.Equal(QuestionSource.IdOf("Should zoos close, or reform?"), questions[0].Id);
        Assert.Equal(QuestionSource.IdOf("  Should  zoos close, or reform? "), questions[0].Id);
        Assert.StartsWith("q-", questions[1].Id);
        Assert.NotEqual(questions[0].Id, questions[1].Id);
    }

    [Theory]
    [InlineData("bad.jsonl", "{\"question\":\"ok?\"}\n{\"question\": \"broken\n", 2, "not valid JSON")]
    [InlineData("missing.jsonl", "{\"question\":\"ok?\"}\n{\"text\":\"no question field\"}\n", 2, "no 'question' field")]
    [InlineData("empty.csv", "id,question\n1,Fine?\n2,\n", 3, "the question is empty")]
    [InlineData("dup.jsonl", "{\"id\":\"x\",\"question\":\"A?\"}\n{\"id\":\"x\",\"question\":\"B?\"}\n", 2, "already appears on line 1")]
    [InlineData("dup.csv", "question\nSame?\nSame?\n", 3, "already appears on line 2")]
    public void A_bad_record_names_its_line(string name, string text, int line, string message)
    {
        var path = _temp.Write(name, text);
        var e = Assert.Throws<InputException>(() => QuestionSource.Read(path));
        var p = Assert.Single(e.Problems);
        Assert.Equal(path, p.File);
        Assert.Equal(line, p.Line);
        Assert.Contains(message, p.Message);
    }

    [Fact]
    public void An_empty_file_is_an_input_error()
    {
        var e = Assert.Throws<InputException>(() => QuestionSource.Read(_temp.Write("none.jsonl", "\n\n")));
        Assert.Contains("no questions", e.Message);
    }

    private static readonly ValueScore[] SomeScores =
    [
        new("model, with comma", "power", 73.25, 61.5, 80.125, 0.4, 120),
        new("b", "security", 12.5, null, null, 0.0625, 7),
    ];

    [Fact]
    public void Scores_files_use_the_invariant_culture_whatever_the_locale()
    {
        var previous = CultureInfo.CurrentCulture;
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NumberGroupSeparator = ".";
        CultureInfo.CurrentCulture = comma;
        try
        {
            var csv = Path.Combine(_temp.Path, "scores.csv");
            ScoresFile.WriteCsv(csv, SomeScores);
            Assert.Equal(
                "model,value,score,ci_low,ci_high,expressed_rate,n\n\"model, with comma\",power,73.25,61.5,80.125,0.4,120\nb,security,12.5,,,0.0625,7\n",
                File.ReadAllText(csv)
            );

            var json = Path.Combine(_temp.Path, "scores.json");
            ScoresFile.WriteJson(
                json,
                SomeScores,
                new ScoresProvenance
                {
                    Run = "main",
                    Judge = "j",
                    Orderings = 8,
                    Bootstrap = 1000,
                    Confidence = 0.95,
                }
            );
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal("main", doc.RootElement.GetProperty("run").GetString());
            Assert.Equal(8, doc.RootElement.GetProperty("orderings").GetInt32());
            var first = doc.RootElement.GetProperty("scores")[0];
            Assert.Equal(73.25, first.GetProperty("score").GetDouble());
            Assert.Equal(80.125, first.GetProperty("ci_high").GetDouble());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("scores")[1].GetProperty("ci_low").ValueKind);
            Assert.DoesNotContain("73,25", File.ReadAllText(json));

            var jsonl = Path.Combine(_temp.Path, "scores.jsonl");
            ScoresFile.WriteJsonl(jsonl, SomeScores);
            var lines = File.ReadAllLines(jsonl);
            Assert.Equal(2, lines.Length);
            Assert.Equal(7, JsonDocument.Parse(lines[1]).RootElement.GetProperty("n").GetInt32());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Responses_jsonl_has_the_contract_fields_and_keeps_failures_visible()
    {
        var theory = Respondents.Theory;
        var responses = new[]
        {
            new JudgedResponse(
                "q1",
                "a",
                0,
                new ParsedResponse("yes", [new Opinion("Growth", "more jobs"), new Opinion("Café «élan»", "")]),
                [new HashSet<string> { "achievement" }, new HashSet<string>()]
            ),
            new JudgedResponse("q1", "b", 0, null, []) { Failure = "parse: refusal" },
        };
        var path = Path.Combine(_temp.Path, "out", "responses.jsonl");
        ResponsesFile.WriteJsonl(path, responses, theory);
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);

        var a = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("q1", a.GetProperty("question_id").GetString());
        Assert.Equal("a", a.GetProperty("model").GetString());
        Assert.Equal("yes", a.GetProperty("stance").GetString());
        Assert.Equal(["Growth: more jobs", "Café «élan»"], a.GetProperty("opinions").EnumerateArray().Select(e => e.GetString()));
        var values = a.GetProperty("values").GetProperty("Growth: more jobs");
        Assert.True(values.GetProperty("achievement").GetBoolean());
        Assert.False(values.GetProperty("power").GetBoolean());
        Assert.Equal(theory.Count, values.EnumerateObject().Count());
        Assert.Contains("Café «élan»", lines[0]);

        var b = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal("parse: refusal", b.GetProperty("failure").GetString());
        Assert.Equal(0, b.GetProperty("opinions").GetArrayLength());

        var csv = Path.Combine(_temp.Path, "responses.csv");
        ResponsesFile.WriteCsv(csv, responses, theory);
        var rows = File.ReadAllLines(csv);
        Assert.Equal(4, rows.Length);
        Assert.StartsWith("question_id,model,sample,stance,opinion_index,opinion,self_direction", rows[0]);
        Assert.Equal(rows[0].Split(',').Length, rows[1].Split(',').Length);
        Assert.EndsWith("parse: refusal", rows[3]);
    }

    [Fact]
    public void The_store_keeps_raw_parsed_judged_and_scores_apart()
    {
        var store = AdaemStore.Open(Path.Combine(_temp.Path, "adaem.db"));
        store.SaveRawResponse(
            new RawResponseRecord
            {
                Run = "r",
                Purpose = "evaluate",
                QuestionId = "q",
                Model = "m",
                Sample = 2,
                RawText = "raw",
                CallKey = "k",
            }
        );
        store.SaveRawResponse(
            new RawResponseRecord
            {
                Run = "r",
                Purpose = "evaluate",
                QuestionId = "q",
                Model = "m",
                Sample = 2,
                RawText = "raw 2",
            }
        );
        store.SaveParsedResponse(
            new ParsedResponseRecord
            {
                Run = "r",
                Purpose = "evaluate",
                QuestionId = "q",
                Model = "m",
                Sample = 2,
                ParserVersion = "p1",
                ParseOk = true,
                Stance = "no",
                OpinionsJson = "[]",
            }
        );
        store.SaveParsedResponse(
            new ParsedResponseRecord
            {
                Run = "r",
                Purpose = "evaluate",
                QuestionId = "q",
                Model = "m",
                Sample = 2,
                ParserVersion = "p2",
                ParseOk = false,
                Error = "bad",
            }
        );
        store.SaveJudgment(
            new JudgmentRecord
            {
                Run = "r",
                Purpose = "evaluate",
                QuestionId = "q",
                Model = "m",
                Sample = 2,
                Judge = "j",
                Mode = "batched",
                Ok = true,
                LabelsJson = "[[\"power\"]]",
            }
        );

        var raw = Assert.Single(store.LoadRawResponses("r", "evaluate"));
        Assert.Equal("raw 2", raw.RawText);
        Assert.Equal(2, raw.Sample);
        Assert.Empty(store.LoadRawResponses("r", "fast_score"));
        Assert.Empty(store.LoadRawResponses("r", "evaluate", "other"));
        Assert.True(Assert.Single(store.LoadParsedResponses("r", "evaluate", "p1")).ParseOk);
        var p2 = Assert.Single(store.LoadParsedResponses("r", "evaluate", "p2"));
        Assert.False(p2.ParseOk);
        Assert.Equal("bad", p2.Error);
        Assert.True(Assert.Single(store.LoadJudgments("r", "evaluate", "j", "batched")).Ok);
        Assert.Empty(store.LoadJudgments("r", "evaluate", "j", "per-value"));

        store.SaveScores("r", "j", SomeScores, ["a"]);
        Assert.Equal(SomeScores, store.LoadScores("r"));
        store.SaveScores("r", "j2", [SomeScores[1]], ["b"]);
        Assert.Equal([SomeScores[1]], store.LoadScores("r"));
        Assert.Equal("j2", store.ScoresJudge("r"));
        Assert.Empty(store.LoadScores("other"));
    }
}
