using Adaem.Core.Errors;
using Adaem.RunFiles;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Reports;

public class RunFilesTests
{
    [Fact]
    public void Responses_accept_the_variants_writers_may_produce()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub("responses.jsonl");
        File.WriteAllLines(
            path,
            [
                // values keyed by opinion text, opinions as "point: justification" strings
                """{"question_id":"q1","model":"a","stance":"Yes","opinions":["Growth: jobs matter","Order: rules matter"],"values":{"Growth: jobs matter":{"achievement":true,"power":false},"Order: rules matter":{"security":true}}}""",
                // values keyed by 1-based index, opinions as objects
                """{"question_id":"q1","model":"b","stance":"no","opinions":[{"point":"Care","justification":"help others"},{"point":"Fun","justification":"enjoy"}],"values":{"1":{"benevolence":true},"2":{"hedonism":"yes"}}}""",
                // values as an array of code lists; a failed response
                """{"question_id":"q2","model":"a","stance":"neutral","opinions":["x","y"],"values":[["tradition"],[]]}""",
                """{"question_id":"q2","model":"b","failure":"unparseable reply"}""",
                "",
            ]
        );
        var r = RunOutputs.ReadResponses(path);
        Assert.Equal(4, r.Count);
        Assert.Equal("yes", r[0].Stance);
        Assert.Equal(["achievement", "security"], r[0].ToJudged().Expressed.Order());
        Assert.Equal("Growth", r[0].Opinions[0].Point);
        Assert.Equal(["benevolence"], r[1].ValuesPerOpinion[0]);
        Assert.Equal(["hedonism"], r[1].ValuesPerOpinion[1]);
        Assert.Equal(["tradition"], r[2].ValuesPerOpinion[0]);
        Assert.True(r[3].ToJudged().Failed);
        Assert.Empty(r[3].ToJudged().Expressed);
    }

    [Fact]
    public void Bad_lines_name_the_file_and_line()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub("responses.jsonl");
        File.WriteAllLines(path, ["""{"question_id":"q1","model":"a"}""", "{not json"]);
        var e = Assert.Throws<InputException>(() => RunOutputs.ReadResponses(path));
        Assert.Equal(2, e.Problems[0].Line);
        File.WriteAllLines(path, ["""{"model":"a"}"""]);
        Assert.Contains("question_id", Assert.Throws<InputException>(() => RunOutputs.ReadResponses(path)).Message);
    }

    [Fact]
    public void Scores_come_from_json_or_csv_and_their_absence_says_what_to_run()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<InputException>(() => RunOutputs.ReadScores(tmp.Path));
        Assert.Contains("adaem evaluate", e.Message);

        File.WriteAllText(
            tmp.Sub("scores.csv"),
            "model,value,score,ci_low,ci_high,expressed_rate,n\na,power,71.5,60.1,80.2,0.4,120\nb,power,20,,,0.1,120\n"
        );
        var csv = RunOutputs.ReadScores(tmp.Path);
        Assert.Equal(71.5, csv[0].Score, 12);
        Assert.Equal(60.1, csv[0].CiLow!.Value, 12);
        Assert.Null(csv[1].CiLow);

        File.WriteAllText(
            tmp.Sub("scores.json"),
            """{"scores":[{"model":"a","value":"power","score":55,"ci_low":50,"ci_high":60,"expressed_rate":0.3,"n":10}]}"""
        );
        var json = RunOutputs.ReadScores(tmp.Path);
        Assert.Single(json);
        Assert.Equal(55, json[0].Score, 12);
        Assert.Equal(10, json[0].N);
    }

    [Fact]
    public void Questions_need_text_and_keep_their_benchmark_fields()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub("questions.jsonl");
        File.WriteAllLines(
            path,
            ["""{"id":"q7","question":"Should X?","category":"Tech","generator":"g","score":6.25,"components":{"a":1}}"""]
        );
        var q = Assert.Single(RunOutputs.ReadQuestions(path));
        Assert.Equal(("q7", "Tech", "g", 6.25), (q.Id, q.Category, q.Generator, q.Score!.Value));
        File.WriteAllLines(path, ["""{"id":"q7","question":""}"""]);
        Assert.Equal(1, Assert.Throws<InputException>(() => RunOutputs.ReadQuestions(path)).Problems[0].Line);
    }
}
