using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Generation;
using Adaem.Core.Prompts;
using Adaem.Storage;
using Xunit;

namespace Adaem.Tests.Generation;

/// <summary>
/// A run rebuilt from its store (a resume, or a larger --budget) continues from the state an uninterrupted run
/// has at that step: the explorers see the arm's earlier contexts in the order they were found, and the dedup
/// index holds the run's questions in the order the loop added them (which decides which of two equal texts a
/// later duplicate is said to repeat, and whether it is "duplicate" or "in_earlier_benchmark").
/// </summary>
public sealed class ResumeOrderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adaem-resume-order-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly IReadOnlyList<Seed> Seeds = SeedSources.LoadBuiltin();

    private AdaemStore Store(string name) => AdaemStore.Open(Path.Combine(_dir, name + ".db"));

    /// <summary>One arm, so every step plays it and a step after the resume sees the contexts of the steps before it.</summary>
    private static readonly GenerationConfig Config = new()
    {
        Explorers = ["e1", "e2"],
        Scorers = ["e1", "e2", "s3"],
        Budget = 3,
        QuestionsPerStep = 12,
        FewShot = 5,
        MaxRefinements = 0,
        RefineThreshold = 0.5,
        DedupThreshold = 0.85,
        MaxArms = 1,
        Seed = 42,
    };

    private static GenerationLoop NewLoop(
        IGenerationRecords store,
        GenerationConfig config,
        int budget,
        Action<ScriptedPool> script,
        IReadOnlyList<(string Id, string Text)>? excluded = null
    )
    {
        var pool = new ScriptedPool("e1", "e2", "s3");
        script(pool);
        var settings = new GenerationSettings("main", config) { Budget = budget, Excluded = excluded ?? [] };
        return new GenerationLoop(settings, pool, new ScriptedJudging(), new LocalOpinionSimilarity(), store);
    }

    private static string Snapshot(AdaemStore store) =>
        JsonSerializer.Serialize(new { Steps = store.LoadSteps("main"), Questions = store.LoadQuestions("main") });

    /// <summary>The explorers answer the context prompt from every context it lists, in order (a model reads the list as given).</summary>
    private static void ContextsInOrderMatter(ScriptedPool pool)
    {
        foreach (var m in new[] { "e1", "e2" })
            pool[m]
                .Override(
                    PromptRoles.ExploreContext,
                    (call, fields) =>
                    {
                        var used = string.Join("|", fields.GetProperty("used_contexts").EnumerateArray().Select(e => e.ToString()));
                        var h = StableHash.Of(m, used, call.Sample);
                        return $"[Information]: a quarrel of {StableHash.Word(h, 0)} with {StableHash.Word(h, 1)} over {StableHash.Word(h, 2)}";
                    }
                );
    }

    [Fact]
    public async Task With_twelve_questions_per_step_a_resumed_run_shows_the_explorers_the_contexts_in_draw_order()
    {
        var whole = Store("whole");
        await NewLoop(whole, Config, 3, ContextsInOrderMatter).RunAsync(Seeds, Ct);

        var resumed = Store("resumed");
        await NewLoop(resumed, Config, 1, ContextsInOrderMatter).RunAsync(Seeds, Ct);
        // The state rebuilt from step 1 lists its twelve contexts by draw (1, 2, ..., 12), not by id as text (1, 10, 11, 12, 2, ...).
        var rows = resumed.LoadQuestions("main");
        var arm = Assert.Single(resumed.LoadArms("main")).Id;
        var byDraw = rows.Where(q => q.Step == 1 && q.Depth == 0)
            .OrderBy(q =>
                int.Parse(q.Id[(q.Id.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture)
            )
            .Select(q => CandidateDetails.FromJson(q.ComponentsJson).Information!)
            .ToList();
        Assert.Equal(12, byDraw.Count);
        var state = GenerationState.Rebuild(resumed.LoadArms("main"), rows, resumed.LoadSteps("main"), 3);
        Assert.Equal(byDraw, state.Contexts(arm, 20));

        await NewLoop(resumed, Config, 3, ContextsInOrderMatter).RunAsync(Seeds, Ct);
        Assert.Equal(Snapshot(whole), Snapshot(resumed));
    }

    private const string Cars = "Should cities ban cars from their centres on Sundays?";
    private const string Wetlands = "Should farmers be paid to let drained wetlands flood again?";
    private const string Census = "Should a national census ask people about their religion?";

    /// <summary>
    /// Step 1 explores Cars then Wetlands; Cars is rewritten into Wetlands and Wetlands into Census (an earlier benchmark's
    /// question: rewrites are not checked for duplicates). Step 2 explores Wetlands and Census again.
    /// </summary>
    private static void RewritesRepeatOtherQuestions(ScriptedPool pool)
    {
        foreach (var m in new[] { "e1", "e2" })
        {
            pool[m]
                .Override(
                    PromptRoles.ExploreQuestion,
                    (call, _) =>
                    {
                        var step = call.Sample / StructuredReply.SampleBlock;
                        var draw = call.Sample % StructuredReply.ReaskSampleStride;
                        var question = (step, draw) switch
                        {
                            (1, 1) => Cars,
                            (1, 2) => Wetlands,
                            (2, 1) => Wetlands,
                            _ => Census,
                        };
                        return $"[Argument]: it matters\n[Question]: {question}";
                    }
                )
                .Override(
                    PromptRoles.Refine,
                    (_, fields) =>
                        fields.GetProperty("question").GetString() switch
                        {
                            Cars => $"[Question]: {Wetlands}",
                            Wetlands => $"[Question]: {Census}",
                            var q => $"[Question]: {q} and why?",
                        }
                );
        }
    }

    [Fact]
    public async Task A_resumed_run_refills_the_dedup_index_in_the_order_the_loop_filled_it()
    {
        var config = Config with { Budget = 2, QuestionsPerStep = 2, MaxRefinements = 1, RefineThreshold = -1000 };
        IReadOnlyList<(string Id, string Text)> excluded = [(EarlierBenchmarks.IdPrefix + "old.jsonl:7", Census)];

        var whole = Store("whole");
        await NewLoop(whole, config, 2, RewritesRepeatOtherQuestions, excluded).RunAsync(Seeds, Ct);
        var rows = whole.LoadQuestions("main").ToDictionary(q => q.Id, StringComparer.Ordinal);
        // The scenario happened: both rewrites were taken, so the index holds Wetlands and Census twice each.
        Assert.Equal((QuestionStatus.Kept, Wetlands), (rows["q00001-1.r1"].Status, rows["q00001-1.r1"].Question));
        Assert.Equal((QuestionStatus.Kept, Census), (rows["q00001-2.r1"].Status, rows["q00001-2.r1"].Question));
        // The loop added draft 2 before draft 1's rewrite, and the earlier benchmark before the run's questions.
        Assert.Equal("duplicate: same text as q00001-2", rows["q00002-1"].Reason);
        Assert.Equal(DropReasons.InEarlierBenchmark, DropReasons.Code(rows["q00002-2"].Reason));

        var resumed = Store("resumed");
        await NewLoop(resumed, config, 1, RewritesRepeatOtherQuestions, excluded).RunAsync(Seeds, Ct);
        await NewLoop(resumed, config, 2, RewritesRepeatOtherQuestions, excluded).RunAsync(Seeds, Ct);
        Assert.Equal(Snapshot(whole), Snapshot(resumed));
    }
}
