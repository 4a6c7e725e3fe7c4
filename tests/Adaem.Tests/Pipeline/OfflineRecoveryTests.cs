using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Adaem.Tests.Simulated;
using Adaem.Tests.Support;
using Correlation = Adaem.Core.Analysis.Correlation;
using Distinguishability = Adaem.Core.Analysis.Distinguishability;
using DistinguishabilityResult = Adaem.Core.Analysis.DistinguishabilityResult;

namespace Adaem.Tests.Pipeline;

/// <summary>
/// The whole pipeline offline, through the real CLI: `adaem run` on the simulated pool recovers the
/// targets' latent value profiles, its questions separate the targets better than as many raw seed
/// questions, and a run killed hard and rerun ends exactly as an uninterrupted one.
/// </summary>
[Collection(SharedOfflineRun.Name)]
public sealed class OfflineRecoveryTests(OfflineRunFixture run)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Scores_of_a_run_recover_each_targets_latent_profile()
    {
        var truth = OfflineProfiles.Load(run.Copy.ConfigPath);
        var scores = run.Copy.ReadScores(OfflineRunFixture.Run);
        Assert.Equal(truth.Targets.Order(), scores.Keys.Order());

        var rho = truth.MeanSpearman((t, v) => scores[t][v]);
        foreach (var v in truth.Theory.Values)
        {
            var r = Correlation.Spearman(truth.PrioritiesOf(v.Code), truth.Targets.Select(t => scores[t][v.Code]).ToArray());
            Log(F($"{v.Code, -15} Spearman {r:F2}"));
        }
        Log(F($"mean Spearman over values {rho:F3} ({run.QuestionCount} questions)"));
        Assert.True(rho >= 0.8, F($"mean Spearman(latent priority, score) over values is {rho:F3}, below 0.8"));
    }

    /// <remarks>
    /// The profiles compared are the expressed rates (share of questions on which a target voiced each
    /// value), not the 0–100 scores: a score is a mean win probability against the other targets, so every
    /// value's scores sum to 50 × targets and the mean pairwise correlation of score rows sits near
    /// −1/(targets − 1) whatever the questions (both sets give about −0.2 here). Rates carry no such constraint.
    /// </remarks>
    [Fact]
    public void Generated_questions_separate_the_targets_better_than_as_many_seed_questions()
    {
        var truth = OfflineProfiles.Load(run.Copy.ConfigPath);
        DistinguishabilityResult Of(string name, string column)
        {
            var table = run.Copy.ReadScores(name, column);
            Assert.Equal(truth.Targets.Order(), table.Keys.Order());
            Assert.All(table.Values, s => Assert.Equal(truth.Theory.Count, s.Count));
            return Distinguishability.Compute(
                truth.Targets.Select(t => (IReadOnlyList<double>)truth.Theory.Values.Select(v => table[t][v.Code]).ToArray()).ToList()
            );
        }

        foreach (var column in new[] { "score", "expressed_rate" })
        {
            var a = Of(OfflineRunFixture.Run, column);
            var s = Of(OfflineRunFixture.SeedRun, column);
            Log(
                F(
                    $"{column} profiles, {run.QuestionCount} questions each: mean pairwise Pearson AdAEM {a.MeanProfileCorrelation:F3}, seeds {s.MeanProfileCorrelation:F3}; mean within-model sd AdAEM {a.MeanWithinModelSpread:F3}, seeds {s.MeanWithinModelSpread:F3}"
                )
            );
        }
        var adaem = Of(OfflineRunFixture.Run, "expressed_rate").MeanProfileCorrelation;
        var seeds = Of(OfflineRunFixture.SeedRun, "expressed_rate").MeanProfileCorrelation;
        Assert.True(
            adaem < seeds - 0.2,
            F(
                $"AdAEM questions ({adaem:F3}) should separate the targets clearly better (lower mean profile correlation) than seed questions ({seeds:F3})"
            )
        );
    }

    /// <summary>The "model calls in STAGE: N made, ..." lines a run prints, as stage → N.</summary>
    private static Dictionary<string, int> MadeCalls(string stdout) =>
        Regex
            .Matches(stdout, @"^model calls in (\w+): ([\d,]+) made", RegexOptions.Multiline)
            .ToDictionary(
                m => m.Groups[1].Value,
                m => int.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                StringComparer.Ordinal
            );

    /// <param name="stage">The stage to kill in.</param>
    /// <param name="percent">The child dies once this share of the stage's calls (of the uninterrupted run) is in the ledger.</param>
    [Theory]
    [InlineData("generate", 5)] // while the seed topics (arms) are being scored
    [InlineData("generate", 50)] // in the middle of the bandit steps
    [InlineData("evaluate", 50)] // targets answering and the judge labelling
    public async Task A_run_killed_hard_and_rerun_asks_no_finished_call_again_and_ends_as_an_uninterrupted_run(string stage, int percent)
    {
        const string name = OfflineRunFixture.Run;
        using var copy = new OfflineCopy();
        var reference = run.Calls;
        var killAt = reference.Count(c => c.Stage == stage) * percent / 100;
        Assert.True(killAt > 0, $"the uninterrupted run made no {stage} calls");

        using (var child = Process.Start(CliProcess.StartInfo(copy.Directory, "run", "-c", copy.ConfigPath, "--quiet"))!)
        {
            // Drain both pipes so the child never blocks on a full one.
            var stdout = child.StandardOutput.ReadToEndAsync(Ct);
            var stderr = child.StandardError.ReadToEndAsync(Ct);
            while (copy.SuccessfulCalls(name).Count(c => c.Stage == stage) < killAt)
            {
                if (child.HasExited)
                    Assert.Fail(
                        $"the run ended (exit {child.ExitCode}) before {killAt} {stage} calls were in its ledger:\n{await stdout}{await stderr}"
                    );
                await Task.Delay(10, Ct); // the poll interval only; what is waited for is the ledger count
            }
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);
            await Task.WhenAll(stdout, stderr);
        }
        var atKill = copy.SuccessfulCalls(name);
        Assert.InRange(atKill.Count, killAt, reference.Count - 1);
        Assert.False(File.Exists(copy.OutFile(name, "scores.csv")));

        var rerun = await copy.RunCliAsync("run", "--quiet");
        Assert.True(rerun.ExitCode == 0, rerun.All);

        // The same scores as the uninterrupted run, to the byte.
        Assert.Equal(run.ScoresCsv, await File.ReadAllTextAsync(copy.OutFile(name, "scores.csv"), Ct));

        // The same calls: no key twice, every call finished before the kill still there, and in total
        // exactly the uninterrupted run's calls.
        var final = copy.SuccessfulCalls(name);
        string PerStage(IReadOnlyList<LedgerCall> calls) =>
            string.Join(", ", calls.GroupBy(c => c.Stage).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        var made = MadeCalls(rerun.Stdout);
        Log(
            $"killed in {stage} at {percent}%: {atKill.Count} successful calls ({PerStage(atKill)}); the rerun made {string.Join(", ", made.Select(m => $"{m.Key} {m.Value}"))}; ledger after the rerun {PerStage(final)}; uninterrupted {PerStage(reference)}"
        );
        Assert.Empty(final.GroupBy(c => c.Key).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(atKill.Select(c => c.Key).Except(final.Select(c => c.Key)));
        Assert.Equal(reference.Count, final.Count);
        Assert.Equal(reference.Select(c => c.Key).Order(StringComparer.Ordinal), final.Select(c => c.Key).Order(StringComparer.Ordinal));

        // The ledger keeps one answer per key even if a call is repeated, so ask the engine's own count:
        // the rerun reached a provider exactly for the calls the ledger lacked at the kill.
        Assert.Equal(["evaluate", "generate"], made.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(final.Count - atKill.Count, made.Values.Sum());
    }
}
