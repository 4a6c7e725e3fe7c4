using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Storage;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Evaluation;

/// <summary>Elicitation and judging against a real SQLite store and scripted models: both judge modes,
/// re-asks, recorded failures, resuming, and re-judging without asking the targets again.</summary>
public sealed class OpinionJudgingTests : IDisposable
{
    private static readonly Adaem.Core.Theory.ValueTheory Theory = Respondents.Theory;
    private static readonly string[] Targets = [.. Respondents.Profiles.Keys];
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private AdaemStore Store(string name = "adaem.db") => AdaemStore.Open(Path.Combine(_temp.Path, name));

    private static OpinionJudging Judging(
        ScriptedPool pool,
        AdaemStore store,
        string judge = "judge",
        string mode = JudgeConfig.Batched,
        int samples = 1,
        int concurrency = 4
    ) =>
        new(
            pool,
            store,
            Theory,
            new JudgeSettings(judge, mode),
            new OpinionJudgingOptions { Samples = samples, MaxConcurrency = concurrency }
        );

    private static int CallsOf(ScriptedPool pool, string role) => pool.Calls.Count(c => c.Role == role);

    /// <summary>The response reduced to comparable text: stance, opinions and labels.</summary>
    private static string Describe(JudgedResponse r) =>
        $"{r.QuestionId}|{r.Model}|{r.Sample}|{r.Failure}|{r.Response?.Stance}|"
        + string.Join(";", r.Response?.Opinions.Select(o => o.Text) ?? [])
        + "|"
        + string.Join(";", r.ValuesPerOpinion.Select(s => string.Join(",", s.Order(StringComparer.Ordinal))));

    [Fact]
    public async Task Batched_judge_makes_one_call_per_response_and_finds_the_values()
    {
        var pool = Respondents.Pool();
        var store = Store();
        var questions = Respondents.Questions(5);
        var responses = await Judging(pool, store).EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);

        Assert.Equal(15, responses.Count);
        Assert.Equal(15, CallsOf(pool, PromptRoles.Opinion));
        Assert.Equal(15, CallsOf(pool, PromptRoles.JudgeBatched));
        Assert.Equal(0, CallsOf(pool, PromptRoles.JudgeValue));
        // In question, model order whatever order the work finished in.
        Assert.Equal(questions.SelectMany(q => Targets.Select(t => (q.Id, t))), responses.Select(r => (r.QuestionId, r.Model)));
        foreach (var r in responses)
        {
            Assert.False(r.Failed, r.Failure);
            Assert.Equal(3, r.Response!.Opinions.Count);
            for (var i = 0; i < 3; i++)
                Assert.Equal(Respondents.Tags(r.Response.Opinions[i].Text).ToHashSet(), r.ValuesPerOpinion[i].ToHashSet());
        }
        Assert.Equal(15, store.LoadRawResponses("r", Purposes.Evaluate).Count);
        Assert.Equal(15, store.LoadParsedResponses("r", Purposes.Evaluate, OpinionPrompt.ParserVersion).Count(p => p.ParseOk));
        Assert.Equal(
            15,
            store.LoadJudgments("r", Purposes.Evaluate, Judging(pool, store).Judge.Identity, JudgeConfig.Batched).Count(j => j.Ok)
        );
    }

    [Fact]
    public async Task Per_value_judge_asks_once_per_opinion_and_value_and_agrees_with_batched()
    {
        var questions = Respondents.Questions(3);
        var perPool = Respondents.Pool();
        var per = await Judging(perPool, Store("per.db"), mode: JudgeConfig.PerValue)
            .EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);
        var batched = await Judging(Respondents.Pool(), Store("batched.db"))
            .EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);

        Assert.Equal(9 * 3 * Theory.Count, CallsOf(perPool, PromptRoles.JudgeValue));
        Assert.Equal(0, CallsOf(perPool, PromptRoles.JudgeBatched));
        Assert.Equal(batched.Select(Describe), per.Select(Describe));
    }

    [Fact]
    public async Task An_unreadable_reply_is_asked_again_with_a_new_sample_index()
    {
        var pool = Respondents.Pool();
        var good = Respondents.Respondent("moody", Respondents.Profiles["achiever"]);
        pool.Add(
            "moody",
            (call, fields) => call.Sample == 0 ? "Hmm, interesting question. Let me think about it some more." : good(call, fields)
        );
        var store = Store();
        var responses = await Judging(pool, store)
            .EvaluateAsync("r", Purposes.Evaluate, Respondents.Questions(1), ["moody", "achiever"], null, CancellationToken.None);

        Assert.False(responses[0].Failed, responses[0].Failure);
        var calls = pool.Calls.Where(c => c.Model == "moody").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal([0, StructuredReply.ReaskSampleStride], calls.Select(c => c.Sample).Order());
        // The re-ask shows the model its reply and a reminder of the format.
        Assert.Equal(3, calls.Single(c => c.Sample == StructuredReply.ReaskSampleStride).Messages);
    }

    [Fact]
    public async Task A_refusal_becomes_a_recorded_failure_after_bounded_re_asks()
    {
        var pool = Respondents.Pool();
        pool.Add("shy", (_, _) => "I'm sorry, but I can't take sides on this topic.");
        var store = Store();
        var judging = Judging(pool, store);
        var first = await judging.EvaluateAsync(
            "r",
            Purposes.Evaluate,
            Respondents.Questions(2),
            ["shy", "achiever"],
            null,
            CancellationToken.None
        );

        var shy = first.Where(r => r.Model == "shy").ToList();
        Assert.All(shy, r => Assert.StartsWith("parse: refusal", r.Failure));
        Assert.Equal(2 * (1 + new OpinionJudgingOptions().MaxReAsks), pool.Calls.Count(c => c.Model == "shy"));
        Assert.All(
            store.LoadParsedResponses("r", Purposes.Evaluate, OpinionPrompt.ParserVersion).Where(p => p.Model == "shy"),
            p => Assert.False(p.ParseOk)
        );

        // The failure is stored: a rerun reads it back and asks nobody.
        var before = pool.Calls.Count;
        var second = await judging.EvaluateAsync(
            "r",
            Purposes.Evaluate,
            Respondents.Questions(2),
            ["shy", "achiever"],
            null,
            CancellationToken.None
        );
        Assert.Equal(before, pool.Calls.Count);
        Assert.Equal(first.Select(Describe), second.Select(Describe));
    }

    [Fact]
    public async Task An_unusable_judge_reply_is_a_recorded_judge_failure()
    {
        var pool = Respondents.Pool();
        pool.Add("vague-judge", (_, _) => "These opinions reflect a mix of values.");
        var responses = await Judging(pool, Store(), judge: "vague-judge")
            .EvaluateAsync("r", Purposes.Evaluate, Respondents.Questions(1), Targets, null, CancellationToken.None);
        Assert.All(responses, r => Assert.StartsWith("judge: no JSON found", r.Failure));
        Assert.Equal(3 * (1 + new OpinionJudgingOptions().MaxReAsks), pool.Calls.Count(c => c.Model == "vague-judge"));
    }

    [Fact]
    public async Task A_resumed_evaluation_equals_an_uninterrupted_one_and_repeats_no_finished_call()
    {
        var questions = Respondents.Questions(10);
        var whole = Respondents.Pool();
        var expected = await Judging(whole, Store("whole.db"))
            .EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);

        var store = Store("resumed.db");
        var interrupted = Respondents.Pool();
        using var cts = new CancellationTokenSource();
        var finished = 0;
        interrupted.AfterCall = _ =>
        {
            if (Interlocked.Increment(ref finished) == 23)
                cts.Cancel();
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Judging(interrupted, store).EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, cts.Token)
        );
        var before = interrupted.Calls;
        Assert.InRange(before.Count, 23, 59);

        var resumed = Respondents.Pool();
        var progress = new MaxProgress();
        var actual = await Judging(resumed, store)
            .EvaluateAsync("r", Purposes.Evaluate, questions, Targets, progress, CancellationToken.None);

        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
        var asked = before.Select(c => c.Key).ToHashSet();
        Assert.DoesNotContain(resumed.Calls, c => asked.Contains(c.Key));
        Assert.Equal(whole.Calls.Select(c => c.Key).Order(), before.Concat(resumed.Calls).Select(c => c.Key).Order());
        Assert.Equal(30, progress.Done);
        Assert.Equal(30, progress.Total);
        Assert.True(progress.Reused > 0);

        var config = new EvaluationConfig { Bootstrap = 20 };
        Assert.Equal(
            new RelativeScoring().Score(expected, Theory, config, CancellationToken.None),
            new RelativeScoring().Score(actual, Theory, config, CancellationToken.None)
        );
    }

    [Fact]
    public async Task A_new_judge_rescores_without_asking_the_targets_again()
    {
        var store = Store();
        var questions = Respondents.Questions(4);
        var pool = Respondents.Pool();
        pool.Add("judge-2", Respondents.Judge);
        var first = await Judging(pool, store).EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);
        var targetCalls = CallsOf(pool, PromptRoles.Opinion);

        var byNewJudge = await Judging(pool, store, judge: "judge-2")
            .EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);
        var byPerValue = await Judging(pool, store, judge: "judge-2", mode: JudgeConfig.PerValue)
            .EvaluateAsync("r", Purposes.Evaluate, questions, Targets, null, CancellationToken.None);

        Assert.Equal(targetCalls, CallsOf(pool, PromptRoles.Opinion));
        Assert.Equal(12, pool.Calls.Count(c => c is { Model: "judge-2", Role: PromptRoles.JudgeBatched }));
        Assert.Equal(12 * 3 * Theory.Count, pool.Calls.Count(c => c is { Model: "judge-2", Role: PromptRoles.JudgeValue }));
        Assert.Equal(first.Select(Describe), byNewJudge.Select(Describe));
        Assert.Equal(first.Select(Describe), byPerValue.Select(Describe));

        // Each judge's verdicts stay readable on their own: scored by one judge, the run's answers read back with that judge's verdicts.
        var items = first.Select(r => r.Item).ToList();
        Assert.Equal(12, items.Distinct().Count());
        store.SaveScores("r", Judging(pool, store).Judge.Identity, [], items);
        Assert.Equal(
            first.Select(Describe).Order(StringComparer.Ordinal),
            OpinionJudging
                .LoadScored(store, "r", Purposes.Evaluate, Judging(pool, store).Judge.Identity, JudgeConfig.Batched)
                .Select(Describe)
                .Order(StringComparer.Ordinal)
        );
        Assert.Equal(
            12,
            OpinionJudging
                .LoadScored(
                    store,
                    "r",
                    Purposes.Evaluate,
                    Judging(pool, store, judge: "judge-2", mode: JudgeConfig.PerValue).Judge.Identity,
                    JudgeConfig.PerValue
                )
                .Count(r => !r.Failed)
        );
        Assert.All(
            OpinionJudging.LoadScored(store, "r", Purposes.Evaluate, "judge-3;never", JudgeConfig.Batched),
            r => Assert.True(r.Failed)
        );
    }

    [Fact]
    public async Task Several_samples_and_purposes_are_kept_apart()
    {
        var store = Store();
        var pool = Respondents.Pool();
        var q = Respondents.Questions(1)[0];
        var eval = await Judging(pool, store, samples: 2).EvaluateAsync("r", Purposes.Evaluate, [q], Targets, null, CancellationToken.None);
        Assert.Equal([0, 1, 0, 1, 0, 1], eval.Select(r => r.Sample));
        Assert.Equal(6, CallsOf(pool, PromptRoles.Opinion));

        // The generation loop's scoring answers are another purpose: asked and stored separately.
        var scoring = await Judging(pool, store)
            .AnswerAndJudgeAsync("r", Purposes.FastScore, q, ["achiever", "progressive"], CancellationToken.None);
        Assert.Equal(2, scoring.Count);
        Assert.Equal(8, CallsOf(pool, PromptRoles.Opinion));
        Assert.Equal(2, store.LoadRawResponses("r", Purposes.FastScore).Count);
        Assert.Equal(6, store.LoadRawResponses("r", Purposes.Evaluate).Count);
        var again = await Judging(pool, store)
            .AnswerAndJudgeAsync("r", Purposes.FastScore, q, ["achiever", "progressive"], CancellationToken.None);
        Assert.Equal(8, CallsOf(pool, PromptRoles.Opinion));
        Assert.Equal(scoring.Select(Describe), again.Select(Describe));
    }

    [Fact]
    public async Task The_judge_labels_a_question_once_and_stores_it()
    {
        var store = Store();
        var pool = Respondents.Pool();
        var judging = Judging(pool, store);
        var q = new Question("q1", "Should towns protect [tradition] even at the cost of [security]?");
        var values = await judging.JudgeQuestionAsync("r", Purposes.FastScore, q, CancellationToken.None);
        Assert.Equal(["security", "tradition"], values.Order(StringComparer.Ordinal));
        Assert.Equal(values, await judging.JudgeQuestionAsync("r", Purposes.FastScore, q, CancellationToken.None));
        Assert.Equal(1, CallsOf(pool, PromptRoles.JudgeQuestion));

        pool.Add("mute", (_, _) => "");
        var mute = Judging(pool, store, judge: "mute");
        await Assert.ThrowsAsync<JudgeFailedException>(() => mute.JudgeQuestionAsync("r", Purposes.FastScore, q, CancellationToken.None));
        var calls = pool.Calls.Count;
        await Assert.ThrowsAsync<JudgeFailedException>(() => mute.JudgeQuestionAsync("r", Purposes.FastScore, q, CancellationToken.None));
        Assert.Equal(calls, pool.Calls.Count);
    }

    [Fact]
    public void Rejects_an_unknown_judge_mode() =>
        Assert.Throws<ArgumentException>(() => Judging(Respondents.Pool(), Store(), mode: "vote"));

    /// <summary>Keeps the highest counts reported (reports from parallel work may arrive out of order).</summary>
    private sealed class MaxProgress : IProgress<EvaluationProgress>
    {
        private readonly Lock _gate = new();
        public int Done { get; private set; }
        public int Total { get; private set; }
        public int Reused { get; private set; }

        public void Report(EvaluationProgress value)
        {
            lock (_gate)
            {
                Done = Math.Max(Done, value.Done);
                Total = value.Total;
                Reused = Math.Max(Reused, value.Reused);
            }
        }
    }
}
