using System.Text.Json;
using Adaem.Core.Evaluation;
using Adaem.Core.Generation;
using Adaem.Storage;
using Adaem.Tests.Support;

namespace Adaem.Tests.Cli;

/// <summary>A simulated run, generated and evaluated once, whose questions the trace tests follow.</summary>
public sealed class TracedRunFixture : IAsyncLifetime
{
    public TempDir Dir { get; } = new();
    public string Config { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Config = TestConfig.SimulatedGeneration().WriteTo(Dir, "trace.yaml");
        var generated = await CliProcess.RunAsync(Dir.Path, "generate", "-c", Config, "--run", "r", "--quiet");
        if (generated.ExitCode != 0)
            throw new InvalidOperationException(generated.All);
        var evaluated = await CliProcess.RunAsync(Dir.Path, "evaluate", "-c", Config, "--run", "r", "--quiet");
        if (evaluated.ExitCode != 0)
            throw new InvalidOperationException(evaluated.All);
    }

    public AdaemStore Store() => AdaemStore.Open(Dir.File("adaem.db"));

    public ValueTask DisposeAsync()
    {
        Dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// `adaem export --what trace`: one question followed from its exploration to its TrueSkill matches, read from the store only.
/// </summary>
public sealed class TraceExportTests(TracedRunFixture run) : IClassFixture<TracedRunFixture>
{
    private Task<CliResult> Export(params string[] extra) =>
        CliProcess.RunAsync(run.Dir.Path, ["export", "-c", run.Config, "--run", "r", "--what", "trace", .. extra]);

    /// <summary>A kept refinement in the benchmark: it has a chain, inherits its draw's dedup check and was evaluated.</summary>
    private QuestionRecord KeptRefinement()
    {
        var benchmark = QuestionSource.Read(run.Dir.File("out/r/questions.jsonl")).Select(q => q.Id).ToHashSet();
        return run.Store().LoadQuestions("r").First(q => q.Status == QuestionStatus.Kept && q.Depth > 0 && benchmark.Contains(q.Id));
    }

    private static HashSet<string> Labels(JsonElement answer) =>
        answer
            .GetProperty("opinions")
            .EnumerateArray()
            .SelectMany(o => o.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!))
            .ToHashSet();

    [Fact]
    public async Task The_json_trace_holds_exploration_dedup_scores_answers_and_matches_without_a_model_call()
    {
        var question = KeptRefinement();
        var callsBefore = run.Store().CountCalls(includeErrors: true);
        var r = await Export("--question", question.Id);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Equal(callsBefore, run.Store().CountCalls(includeErrors: true));

        using var doc = JsonDocument.Parse(File.ReadAllText(run.Dir.File($"out/r/trace-{question.Id}.json")));
        var t = doc.RootElement;
        Assert.Equal(question.Id, t.GetProperty("question").GetProperty("id").GetString());
        Assert.Equal(question.Generator, t.GetProperty("question").GetProperty("generator").GetString());

        // Listing 5 then Listing 6 of the draw, each with its prompt and the explorer's reply.
        var exploration = t.GetProperty("exploration").EnumerateArray().ToList();
        Assert.Equal(["explore_context", "explore_question"], exploration.Select(c => c.GetProperty("role").GetString()).Distinct());
        foreach (var call in exploration)
        {
            Assert.Contains(
                call.GetProperty("messages").EnumerateArray(),
                m => m.GetProperty("role").GetString() == "user" && m.GetProperty("text").GetString()!.Length > 0
            );
            Assert.False(string.IsNullOrWhiteSpace(call.GetProperty("reply").GetString()));
        }
        Assert.Contains(
            "[Question]:",
            exploration.Last(c => c.GetProperty("role").GetString() == "explore_question").GetProperty("reply").GetString()
        );

        // The draw's first candidate was dedup-checked; the refinement shows that check with the neighbours' texts.
        var rows = run.Store().LoadQuestions("r").ToDictionary(q => q.Id);
        var root = question;
        while (root.Parent is { } p)
            root = rows[p];
        var rootDetails = CandidateDetails.FromJson(root.ComponentsJson);
        var dedup = t.GetProperty("dedup");
        Assert.Equal(root.Id, dedup.GetProperty("checked").GetString());
        Assert.Equal(rootDetails.DedupSimilarity!.Value, dedup.GetProperty("similarity").GetDouble(), 12);
        Assert.Equal("passed", dedup.GetProperty("decision").GetString());
        var nearest = dedup.GetProperty("nearest").EnumerateArray().ToList();
        Assert.Equal(rootDetails.Nearest, nearest.Select(n => n.GetProperty("id").GetString()));
        Assert.All(nearest, n => Assert.Equal(rows[n.GetProperty("id").GetString()!].Question, n.GetProperty("text").GetString()));

        // The refinement chain reaches from the root to this question, with suggestions and gains.
        var chain = t.GetProperty("refinements").EnumerateArray().ToList();
        Assert.Equal(root.Id, chain[0].GetProperty("id").GetString());
        Assert.Contains(
            chain,
            c =>
                c.GetProperty("id").GetString() == question.Id
                && c.GetProperty("gain").GetDouble() > 0
                && c.GetProperty("suggestions").GetString()!.Length > 0
        );
        Assert.Contains(t.GetProperty("refinement_calls").EnumerateArray(), c => c.GetProperty("role").GetString() == "refine");

        // Fast and final components, and behind each model's values the judge's labels of its answer.
        var details = t.GetProperty("details");
        Assert.Equal(question.FastScore!.Value, details.GetProperty("fast").GetProperty("total").GetDouble(), 12);
        Assert.Equal(question.FinalScore!.Value, details.GetProperty("final").GetProperty("total").GetDouble(), 12);
        Assert.Equal(["e1", "e2"], t.GetProperty("fast_answers").EnumerateArray().Select(a => a.GetProperty("model").GetString()));
        var finalAnswers = t.GetProperty("final_answers").EnumerateArray().ToList();
        Assert.Equal(["e1", "e2", "e3"], finalAnswers.Select(a => a.GetProperty("model").GetString()));
        var modelValues = details.GetProperty("final").GetProperty("model_values");
        foreach (var a in finalAnswers)
        {
            var expected = modelValues
                .GetProperty(a.GetProperty("model").GetString()!)
                .EnumerateArray()
                .Select(v => v.GetString()!)
                .ToHashSet();
            Assert.Equal(expected, Labels(a));
        }

        // Each target's evaluation answer with labels, and per value a match exactly when some but not all express it.
        var evaluation = t.GetProperty("evaluation").EnumerateArray().ToDictionary(a => a.GetProperty("model").GetString()!);
        Assert.Equal(["e1", "e2"], evaluation.Keys.Order());
        Assert.All(evaluation.Values, a => Assert.NotEmpty(a.GetProperty("opinions").EnumerateArray()));
        var matches = t.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal(10, matches.Count);
        foreach (var m in matches)
        {
            var value = m.GetProperty("value").GetString()!;
            var winners = evaluation.Where(e => Labels(e.Value).Contains(value)).Select(e => e.Key).ToList();
            var losers = evaluation.Keys.Except(winners).ToList();
            Assert.Equal(winners, m.GetProperty("winners").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(losers, m.GetProperty("losers").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(winners.Count > 0 && losers.Count > 0, m.GetProperty("is_match").GetBoolean());
        }
        Assert.Contains(matches, m => m.GetProperty("is_match").GetBoolean());
    }

    [Fact]
    public async Task The_text_trace_renders_every_section()
    {
        var question = KeptRefinement();
        var r = await Export("--question", question.Id, "--format", "text");
        Assert.True(r.ExitCode == 0, r.All);
        var text = File.ReadAllText(run.Dir.File($"out/r/trace-{question.Id}.txt"));
        Assert.Contains(question.Question, text);
        Assert.Contains("[explore_context, sample", text);
        Assert.Contains("[explore_question, sample", text);
        Assert.Contains("dedup: ", text);
        Assert.Contains("final score (scorers): S = ", text);
        Assert.Contains("refinement chain:", text);
        Assert.Matches(@"\n  \w+: e\d beat e\d", text);
    }

    [Fact]
    public async Task An_unknown_question_id_exits_2_naming_the_run_and_the_questions_export()
    {
        var callsBefore = run.Store().CountCalls(includeErrors: true);
        var r = await Export("--question", "q99999-9");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("run 'r' has no question 'q99999-9'", r.Stderr);
        Assert.Contains("--what questions", r.Stderr);
        Assert.False(File.Exists(run.Dir.File("out/r/trace-q99999-9.json")));
        Assert.Equal(callsBefore, run.Store().CountCalls(includeErrors: true));
    }
}
