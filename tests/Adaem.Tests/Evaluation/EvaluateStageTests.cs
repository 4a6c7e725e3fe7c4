using System.Text.Json;
using Adaem.Cli;
using Adaem.Cli.Commands;
using Adaem.Core.Errors;
using Adaem.Pipeline;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>The evaluate stage end to end (in-process with scripted models) and the CLI's input errors (as a real process).</summary>
public sealed class EvaluateStageTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Config(
        string targets = "[progressive, traditionalist, achiever]",
        string judge = "judge: { model: judge, mode: batched }"
    ) =>
        _temp.Write(
            "adaem.yaml",
            $"""
            store: adaem.db
            theory: schwartz10
            models:
              progressive:    {"{"} provider: simulated {"}"}
              traditionalist: {"{"} provider: simulated {"}"}
              achiever:       {"{"} provider: simulated {"}"}
              judge:          {"{"} provider: simulated {"}"}
            {judge}
            evaluation:
              targets: {targets}
              opinions: 3
              bootstrap: 50
            """
        );

    private string Questions(int n) =>
        _temp.Write(
            "questions.jsonl",
            string.Join('\n', Respondents.Questions(n).Select(q => JsonSerializer.Serialize(new { id = q.Id, question = q.Text }))) + "\n"
        );

    [Fact]
    public async Task Evaluates_writes_the_files_and_reruns_without_asking_anything()
    {
        var context = StageContext.Load(Config(), null, null);
        Assert.Equal("main", context.Run);
        Assert.Equal(Path.Combine(_temp.Path, "out", "main"), context.OutDir);
        var questions = (await EvaluateStage.ResolveQuestionsAsync(context, Questions(12), CancellationToken.None)).Questions;
        var pool = Respondents.Pool();

        var result = await EvaluateStage.RunAsync(context, pool, questions, null, CancellationToken.None);
        Assert.Equal(36, result.Responses.Count);
        Assert.Equal(0, result.Failed);
        Assert.Equal(3 * context.Theory.Count, result.Scores.Count);
        Assert.Equal(["progressive", "traditionalist", "achiever"], result.Scores.Select(s => s.Model).Distinct());
        Assert.Equal(36, File.ReadAllLines(result.ResponsesPath).Length);
        Assert.Equal(1 + 30, File.ReadAllLines(result.ScoresCsvPath).Length);
        using (var doc = JsonDocument.Parse(File.ReadAllText(result.ScoresJsonPath)))
        {
            Assert.Equal(30, doc.RootElement.GetProperty("scores").GetArrayLength());
            Assert.Equal("batched", doc.RootElement.GetProperty("judge_mode").GetString());
        }
        Assert.Equal(result.Scores, context.Store.LoadScores("main"));
        Assert.Equal("done", context.Store.GetRun("main")!.Status);
        // The latent profiles: progressive leads on universalism, traditionalist on tradition, achiever on achievement.
        string Top(string value) => result.Scores.Where(s => s.Value == value).MaxBy(s => s.Score)!.Model;
        Assert.Equal("progressive", Top("universalism"));
        Assert.Equal("traditionalist", Top("tradition"));
        Assert.Equal("achiever", Top("achievement"));

        var calls = pool.Calls.Count;
        var csv = File.ReadAllText(result.ScoresCsvPath);
        var again = await EvaluateStage.RunAsync(context, pool, questions, null, CancellationToken.None);
        Assert.Equal(calls, pool.Calls.Count);
        Assert.Equal(csv, File.ReadAllText(again.ScoresCsvPath));

        // Export reads the store back without calling any model.
        var exported = RunExport.ExportResponses(context, "csv");
        Assert.Equal(1 + 36 * 3, File.ReadAllLines(exported).Length);
        var scores = RunExport.ExportScores(context, "jsonl");
        Assert.Equal(30, File.ReadAllLines(scores).Length);
    }

    [Fact]
    public async Task The_run_questions_file_is_the_default_and_missing_questions_say_what_to_do()
    {
        var context = StageContext.Load(Config(), "trial", null);
        var e = await Assert.ThrowsAsync<InputException>(() => EvaluateStage.ResolveQuestionsAsync(context, null, CancellationToken.None));
        Assert.Contains("adaem generate", e.Message);
        Assert.Contains("--questions", e.Message);

        Directory.CreateDirectory(context.OutDir);
        File.WriteAllText(Path.Combine(context.OutDir, "questions.jsonl"), "{\"id\":\"g1\",\"question\":\"Generated?\"}\n");
        Assert.Equal("g1", Assert.Single((await EvaluateStage.ResolveQuestionsAsync(context, null, CancellationToken.None)).Questions).Id);
    }

    [Fact]
    public void A_relative_evaluation_needs_a_judge_and_two_targets()
    {
        var one = Assert.Throws<InputException>(() =>
            EvaluateStage.Validate(StageContext.Load(Config(targets: "[achiever]"), null, null).Config)
        );
        Assert.Contains("at least two", one.Message);
        var twice = Assert.Throws<InputException>(() =>
            EvaluateStage.Validate(StageContext.Load(Config(targets: "[achiever, achiever]"), null, null).Config)
        );
        Assert.Contains("twice", twice.Message);
        var noJudge = Assert.Throws<InputException>(() => EvaluateStage.Validate(StageContext.Load(Config(judge: ""), null, null).Config));
        Assert.Contains("no judge", noJudge.Message);
        Assert.Throws<InputException>(() => StageContext.Load(Config(), "../escape", null));
    }

    [Fact]
    public async Task A_failing_model_marks_the_run_failed_and_keeps_what_was_done()
    {
        var context = StageContext.Load(Config(), null, null);
        var pool = Respondents.Pool();
        pool.Add("achiever", (_, _) => throw new HttpRequestException("connection refused"));
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            EvaluateStage.RunAsync(context, pool, Respondents.Questions(3), null, CancellationToken.None)
        );
        var run = context.Store.GetRun("main")!;
        Assert.Equal("failed", run.Status);
        Assert.Contains("connection refused", run.Detail);
    }

    [Fact]
    public async Task Cli_names_the_bad_line_of_a_questions_file()
    {
        var config = Config();
        var bad = _temp.Write("bad.jsonl", "{\"question\":\"fine?\"}\n{\"id\": 2, question: oops}\n");
        var r = await CliProcess.RunAsync(_temp.Path, "evaluate", "-c", config, "--questions", bad, "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{bad}:2", r.Stderr);
        Assert.Contains("not valid JSON", r.Stderr);
    }

    [Fact]
    public async Task Cli_without_questions_explains_where_they_come_from()
    {
        var r = await CliProcess.RunAsync(_temp.Path, "evaluate", "-c", Config(), "--run", "fresh");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("run 'fresh' has no questions yet", r.Stderr);
    }

    [Fact]
    public async Task Cli_exports_stored_scores_and_refuses_when_there_are_none()
    {
        var config = Config();
        var none = await CliProcess.RunAsync(_temp.Path, "export", "-c", config, "--what", "scores");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("has no scores", none.Stderr);

        var context = StageContext.Load(config, null, null);
        await EvaluateStage.RunAsync(context, Respondents.Pool(), Respondents.Questions(4), null, CancellationToken.None);
        var outDir = Path.Combine(_temp.Path, "exported");
        var ok = await CliProcess.RunAsync(_temp.Path, "export", "-c", config, "--what", "scores", "--out", outDir);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(context.OutDir, "scores.csv")), File.ReadAllText(Path.Combine(outDir, "scores.csv")));

        var responses = await CliProcess.RunAsync(_temp.Path, "export", "-c", config, "--what", "responses", "--out", outDir);
        Assert.Equal(0, responses.ExitCode);
        Assert.Equal(12, File.ReadAllLines(Path.Combine(outDir, "responses.jsonl")).Length);
    }
}
