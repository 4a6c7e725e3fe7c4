using Adaem.Cli.Progress;
using Adaem.Core.Generation;
using Adaem.Core.Models;
using Adaem.Pipeline;
using Adaem.Providers.Engine;

namespace Adaem.Tests.Cli;

/// <summary>Plain progress lines and the stage summary: their cadence, figures, ETA and cost, on a manual clock.</summary>
public sealed class StageProgressTests : IDisposable
{
    public void Dispose()
    {
        _out.Dispose();
        _err.Dispose();
    }

    private readonly ManualTime _time = new();
    private readonly FixedCalls _calls = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private PlainStageProgress Progress(string stage = "evaluate")
    {
        var p = new PlainStageProgress(stage, _out, _err, _time);
        p.UseCalls(_calls);
        return p;
    }

    private string[] Lines => _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static CallCount Calls(long calls, long hits = 0, long failures = 0, double known = 0, long unpriced = 0) =>
        new()
        {
            Calls = calls,
            CacheHits = hits,
            Failures = failures,
            InputTokens = calls * 100,
            OutputTokens = calls * 20,
            KnownCost = known,
            Cost = unpriced > 0 ? null : known,
            UnpricedCalls = unpriced,
        };

    [Fact]
    public void Plain_lines_come_at_the_start_at_each_tenth_and_at_the_end_with_calls_tokens_cost_and_eta()
    {
        var p = Progress();
        p.StartPhase("answers judged", 100);
        for (var i = 1; i <= 100; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(0.1));
            _calls.Now = Calls(2 * i, hits: i / 10, known: 0.0001 * i);
            p.Report(i);
        }

        var lines = Lines;
        Assert.Equal("evaluate: answers judged: 100 to do", lines[0]);
        Assert.Equal(11, lines.Length);
        for (var tenth = 1; tenth <= 10; tenth++)
            Assert.StartsWith($"evaluate: answers judged {tenth * 10}/100 ({tenth * 10}%)", lines[tenth]);
        // At 50 items after 5 s: 100 calls, 5 hits, 20 calls/s, 120 tokens a call, 0.005 USD, 50 items to go at 10 items/s.
        Assert.Equal(
            "evaluate: answers judged 50/100 (50%); 100 calls, 5 cache hits, 20.0 calls/s, 12,000 tokens, cost 0.0050 USD, ETA 0:05",
            lines[5]
        );
        Assert.DoesNotContain("ETA", lines[10]);

        Assert.Equal(
            "evaluate done: answers judged 100/100 (100%); 200 calls made, 10 cache hits, 0 failed calls, 24,000 tokens, cost 0.0100 USD, 10.0 s",
            p.Summary(finished: true)
        );
    }

    [Fact]
    public void A_slow_phase_prints_a_heartbeat_and_a_short_repeated_phase_only_its_end()
    {
        var p = Progress("validate priming");
        foreach (var value in new[] { "power", "tradition" })
        {
            p.StartPhase($"answers primed on {value}", 100, deciles: false, group: "primed answers");
            for (var i = 1; i <= 100; i++)
            {
                _time.Advance(TimeSpan.FromSeconds(0.05));
                p.Report(i, failed: i / 50);
            }
        }
        // Only the ends: 5 s a phase, no heartbeat due, no start line or tenths; the summary sums the group.
        Assert.Equal(2, Lines.Length);
        Assert.StartsWith("validate priming: answers primed on power 100/100 (100%), 2 failed; ", Lines[0]);
        Assert.StartsWith("validate priming: answers primed on tradition 100/100 (100%), 2 failed; ", Lines[1]);
        Assert.StartsWith("validate priming done: primed answers 200/200 (100%), 4 failed; 0 calls made", p.Summary(finished: true));

        var slow = Progress("generate");
        _out.GetStringBuilder().Clear();
        slow.StartPhase("bandit steps", 1000);
        _time.Advance(TimeSpan.FromSeconds(9));
        slow.Advance();
        Assert.Single(Lines); // 9 s: not yet
        _time.Advance(TimeSpan.FromSeconds(2));
        slow.Advance();
        Assert.Equal(2, Lines.Length); // 11 s since the last line: a heartbeat, though far from the next tenth
        Assert.StartsWith("generate: bandit steps 2/1,000 (0%)", Lines[1]);
        Assert.Contains("ETA 1:31:29", Lines[1]); // 998 steps to go at 11 s per 2 steps
    }

    [Fact]
    public void Items_read_back_from_the_store_neither_print_tenths_nor_speed_up_the_eta()
    {
        var p = Progress();
        p.StartPhase("answers judged", 100);
        p.Report(50, reused: 50);
        Assert.Single(Lines); // only the start: nothing was worked on yet
        Assert.Null(p.Read().Phase!.Eta);

        for (var i = 51; i <= 60; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            p.Report(i, reused: 50, failed: 1);
        }
        var phase = p.Read().Phase!;
        Assert.Equal(TimeSpan.FromSeconds(40), phase.Eta); // 10 items worked on in 10 s, 40 to go
        Assert.Equal(
            "evaluate: answers judged 60/100 (60%), 50 from the store, 1 failed; 0 calls, 0 cache hits, 0.0 calls/s, 0 tokens, cost 0.0000 USD, ETA 0:40",
            Lines[^1]
        );
    }

    [Fact]
    public void Generation_resumed_counts_finished_steps_as_from_the_store()
    {
        var p = Progress("generate");
        var view = new GenerationEvents(new StageEvents("generate", new StageEventView(p)));
        view.SeedsStarted(30, 30);
        view.StepsStarted(40, 36);
        Assert.Equal(
            ["generate: seed questions scored: 0 of 30 to do (30 already done)", "generate: bandit steps: 4 of 40 to do (36 already done)"],
            Lines
        );
        for (var s = 37; s <= 40; s++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            _calls.Now = Calls(10 * (s - 36));
            view.StepFinished(new StepSummary(s, 40, "edu-20", 3, 2, 1, 0.5, 11.375));
        }
        Assert.Equal(
            "generate: bandit steps 40/40 (100%), 36 from the store [arm edu-20, kept 2/3, 8 kept in this run, best 11.38]; 40 calls, 0 cache hits, 5.0 calls/s, 4,800 tokens, cost 0.0000 USD",
            Lines[^1]
        );
        Assert.StartsWith(
            "generate done: seed questions scored 30/30 (100%), 30 from the store, bandit steps 40/40 (100%), 36 from the store; 40 calls made",
            p.Summary(finished: true)
        );
        view.Warning("careful");
        Assert.Equal("warning: careful", _err.ToString().Trim());
    }

    [Fact]
    public void Cost_stays_unknown_when_a_call_has_no_price_and_a_stopped_stage_says_so()
    {
        var p = Progress();
        p.StartPhase("answers judged", 10);
        _calls.Now = Calls(4, unpriced: 4);
        p.Report(3);
        Assert.Contains("cost unknown, ", p.Summary(finished: false));
        Assert.StartsWith("evaluate stopped: answers judged 3/10 (30%); 4 calls made", p.Summary(finished: false));
        _calls.Now = Calls(4, failures: 2, known: 0.25, unpriced: 1);
        Assert.Contains("2 failed calls, 480 tokens, cost ≥0.2500 USD (+1 unpriced)", p.Summary(finished: false));
    }

    [Fact]
    public void Reports_from_parallel_workers_never_move_backwards()
    {
        var p = Progress();
        p.StartPhase("answers judged", 1000);
        Parallel.For(1, 1001, i => p.Report(i, reused: i / 2));
        p.Report(400, reused: 10);
        var phase = p.Read().Phase!;
        Assert.Equal((1000, 500), (phase.Done, phase.Reused));
        Assert.StartsWith("evaluate: answers judged 1,000/1,000 (100%)", Lines[^1]);
        Assert.Single(Lines, l => l.Contains("1,000/1,000", StringComparison.Ordinal));
    }

    [Fact]
    public void The_pool_counters_are_call_statistics_with_the_known_part_of_a_partly_priced_cost()
    {
        var counters = new CallCounters();
        ICallStatistics statistics = counters;
        counters.Called("evaluate", "priced", 100, 50, 0.5);
        counters.Called("evaluate", "free", 10, 5, null);
        counters.Hit("evaluate", "priced");
        counters.Failed("generate", "priced");
        var evaluate = statistics.Total("evaluate");
        Assert.Equal((2L, 1L, 0L, 165L), (evaluate.Calls, evaluate.CacheHits, evaluate.Failures, evaluate.Tokens));
        Assert.Null(evaluate.Cost);
        Assert.Equal(0.5, evaluate.KnownCost);
        Assert.Equal("≥0.5000 (+1 unpriced)", CostText.Format(evaluate));
        Assert.Equal(1, statistics.Total().Failures);
    }
}
