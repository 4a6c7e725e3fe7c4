using System.CommandLine;
using System.Globalization;
using Adaem.Core.Analysis.Validity;
using Adaem.Core.Configuration;
using Adaem.Core.Prompts.Languages;
using Adaem.Pipeline.Validity;

namespace Adaem.Cli.Commands;

/// <summary>
/// `adaem validate reliability|subsets|baseline|priming|score|judge`: validity analyses of a run (the paper's §4.2, App. C.11, J.2, K).
/// Each one records its result in out/RUN/validity.json, which `adaem report` shows. `adaem validate prompts` checks a
/// language's prompt templates and parsers instead (no run, no store).
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var cmd = new Command("validate", "Validity analyses: reliability, subsets, baseline, priming (results go to validity.json)");
        cmd.Subcommands.Add(Reliability());
        cmd.Subcommands.Add(Subsets());
        cmd.Subcommands.Add(Baseline());
        cmd.Subcommands.Add(Priming());
        cmd.Subcommands.Add(Score());
        cmd.Subcommands.Add(Judge());
        cmd.Subcommands.Add(Prompts());
        return cmd;
    }

    /// <summary>`adaem validate prompts --language xx`: every role rendered and parsed in one language (the logic is Core's
    /// PromptCheck).</summary>
    private static Command Prompts()
    {
        var language = new Option<string>("--language", "-l")
        {
            Description = "A shipped language tag (en, zh, ...) or a language folder",
            Required = true,
        };
        var theory = new Option<string>("--theory")
        {
            Description = "The theory the judge prompts list (a built-in name or a theory YAML)",
            DefaultValueFactory = _ => "schwartz10",
        };
        var cmd = new Command(
            "prompts",
            "Render every prompt role in a language and run its parser on example replies (the simulated pool's and the language's own)"
        )
        {
            language,
            theory,
        };
        cmd.SetAction(
            async (parse, ct) =>
            {
                var lang = PromptLanguages.Get(parse.GetValue(language)!);
                var t = Core.Theory.TheoryLoader.Load(parse.GetValue(theory)!);
                using var simulated = new Adaem.Providers.Simulated.SimulatedChatClient(
                    new ModelConfig
                    {
                        Name = "validate-prompts",
                        Provider = ProviderKinds.Simulated,
                        Seed = 1,
                    },
                    t
                );
                var r = await PromptCheck.RunAsync(lang, t, simulated, ct);
                Console.WriteLine(
                    $"prompts in {lang.Code} ({lang.NativeName}, {(lang.Source == PromptLanguages.BuiltInSource ? "built in" : lang.Source)}{(lang.RightToLeft ? ", right to left" : "")}), theory {r.Theory}; replies: the simulated pool's and the language's examples"
                );
                Console.WriteLine($"  {"role", -16} {"rendered", -9} {"parsed", -7} replies");
                foreach (var row in r.Rows)
                    Console.WriteLine(
                        $"  {row.Role, -16} {(row.Rendered ? "ok" : "FAIL"), -9} {(row.Parsed ? "ok" : "FAIL"), -7} {row.Replies}"
                    );
                foreach (var row in r.Rows.Where(x => x.Problems.Count > 0))
                foreach (var problem in row.Problems)
                    Console.WriteLine($"  {row.Role}: {problem}");
                foreach (var note in r.Notes)
                    Console.WriteLine($"note: {note}");
                Console.WriteLine(
                    r.Ok
                        ? $"all {r.Rows.Count} roles rendered and parsed"
                        : $"{r.Rows.Count(x => !x.Rendered || !x.Parsed)} of {r.Rows.Count} roles failed"
                );
                return r.Ok ? ErrorReporter.Ok : ErrorReporter.Failed;
            }
        );
        return cmd;
    }

    private sealed record Common(Option<string> Config, Option<string?> Run, Option<string?> Out, Option<long?> Seed, Option<bool> Quiet);

    private static (Command, Common) Sub(string name, string description)
    {
        var common = new Common(
            CommonOptions.Config(),
            CommonOptions.Run(required: true),
            CommonOptions.Out(),
            new Option<long?>("--seed") { Description = "Random seed of the analysis (default: evaluation.seed of the config)" },
            CommonOptions.Quiet()
        );
        return (new Command(name, description) { common.Config, common.Run, common.Out, common.Seed, common.Quiet }, common);
    }

    /// <summary>Opens the study and runs <paramref name="check"/> with the common options; checks that ask models run under a progress
    /// display.</summary>
    private static async Task<T> CheckAsync<T>(ParseResult parse, Common c, ValidityCheck<T> check, CancellationToken ct)
    {
        using var study = StudyCommand.Open(parse.GetValue(c.Config)!, parse.GetValue(c.Run), parse.GetValue(c.Out));
        check = check with { Seed = parse.GetValue(c.Seed) };
        if (!check.AsksModels)
            return await study.ValidateAsync(check, null, ct).ConfigureAwait(false);
        return await StudyCommand
            .ShowAsync(check.Stage, parse.GetValue(c.Quiet), progress => study.ValidateAsync(check, progress, ct))
            .ConfigureAwait(false);
    }

    private static Command Reliability()
    {
        var (cmd, c) = Sub("reliability", "Cronbach's alpha of (model, value) scores over k random folds of the questions");
        var folds = new Option<int>("--folds", "-k") { Description = "Number of folds", DefaultValueFactory = _ => 5 };
        cmd.Options.Add(folds);
        cmd.SetAction(
            async (parse, ct) =>
            {
                var r = await CheckAsync(parse, c, new ReliabilityCheck(parse.GetValue(folds)), ct).ConfigureAwait(false);
                Console.WriteLine(
                    $"reliability over {r.Folds} folds ({string.Join("/", r.QuestionsPerFold)} questions), {r.Subjects} (model, value) scores:"
                );
                Console.WriteLine(
                    $"  Cronbach's alpha {Fmt(r.CronbachAlpha)}, mean coefficient of variation {Fmt(r.CoefficientOfVariation)}"
                );
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    private static Command Subsets()
    {
        var (cmd, c) = Sub("subsets", "Correlation of scores on random question subsets with the full set");
        var sizes = new Option<int[]>("--sizes")
        {
            Description = "Subset sizes (capped at the number of questions)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [.. SubsetAnalysis.DefaultSizes],
        };
        var repeats = new Option<int>("--repeats") { Description = "Random subsets per size", DefaultValueFactory = _ => 5 };
        cmd.Options.Add(sizes);
        cmd.Options.Add(repeats);
        cmd.SetAction(
            async (parse, ct) =>
            {
                var r = await CheckAsync(parse, c, new SubsetsCheck(parse.GetValue(sizes)!, parse.GetValue(repeats)), ct)
                    .ConfigureAwait(false);
                Console.WriteLine($"subset consistency against all {r.Questions} questions:");
                foreach (var s in r.Subsets)
                    Console.WriteLine(
                        $"  {s.Size, 6}{(s.IsFullSet ? " (all)" : "")}: Pearson mean {Fmt(s.PearsonMean)} (worst {Fmt(s.PearsonMin)}), Spearman mean {Fmt(s.SpearmanMean)}, {s.Repeats} repeats"
                    );
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    private static Command Baseline()
    {
        var (cmd, c) = Sub("baseline", "Distinguishability of the run's questions against a static baseline item file");
        var items = new Option<string>("--items")
        {
            Description = "Baseline item file (JSONL/CSV/TSV with a 'question' field)",
            Required = true,
        };
        cmd.Options.Add(items);
        cmd.SetAction(
            async (parse, ct) =>
            {
                var r = await CheckAsync(parse, c, new BaselineCheck(parse.GetValue(items)!), ct).ConfigureAwait(false);
                foreach (var set in new[] { r.Run, r.Baseline })
                    Console.WriteLine(
                        $"  {set.Name, -24} {set.Items, 6} items: expression rates: mean profile correlation {Fmt(set.Expression?.MeanProfileCorrelation ?? double.NaN)}, mean within-model sd {Fmt(set.Expression?.MeanWithinModelSpread ?? double.NaN)}; relative scores: {Fmt(set.Distinguishability.MeanProfileCorrelation)} / {Fmt(set.Distinguishability.MeanWithinModelSpread)}"
                    );
                Console.WriteLine(
                    r.RunMoreDistinguishing
                        ? "the run's questions distinguish the models better on both criteria"
                        : $"the run's questions do not beat the baseline on both criteria (lower profile correlation: {(r.RunLessCorrelated ? "yes" : "no")}; higher within-model spread: {(r.RunMoreSpread ? "yes" : "no")})"
                );
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    private static Command Score()
    {
        var (cmd, c) = Sub("score", "Re-rank the run's questions under the other disentanglement sign and another beta (no model call)");
        var beta = new Option<double?>("--beta") { Description = "The other beta to compare with (default: twice the run's beta)" };
        var top = new Option<int>("--top")
        {
            Description = "Size of the top list compared",
            DefaultValueFactory = _ => ScoreSensitivity.DefaultTop,
        };
        cmd.Options.Add(beta);
        cmd.Options.Add(top);
        cmd.SetAction(
            async (parse, ct) =>
            {
                var r = await CheckAsync(parse, c, new ScoreCheck(parse.GetValue(beta), parse.GetValue(top)), ct).ConfigureAwait(false);
                Console.WriteLine(
                    $"selection sensitivity over {r.Candidates} candidates (run: sign {(r.Sign >= 0 ? "+" : "-")}, beta {Fmt(r.Beta)}):"
                );
                foreach (var v in r.Variants)
                    Console.WriteLine(
                        $"  {v.Name, -28} Spearman {Fmt(v.Spearman)}, top-{v.TopN} overlap {v.TopOverlap} ({Fmt(v.TopOverlapShare)})"
                    );
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    private static Command Judge()
    {
        var (cmd, c) = Sub("judge", "Re-label a sample of the run's answers with another judge mode or model; Cohen's kappa per value");
        var sample = new Option<int>("--sample")
        {
            Description = "Random questions whose answers (every target's) are re-labelled",
            DefaultValueFactory = _ => 50,
        };
        var against = new Option<string?>("--against")
        {
            Description = "Another judge model (default: the run's judge model in the other mode)",
        };
        var mode = new Option<string?>("--mode")
        {
            Description = "The other judge's mode: batched or per-value (default: the other mode, or the run's with --against)",
        };
        cmd.Options.Add(sample);
        cmd.Options.Add(against);
        cmd.Options.Add(mode);
        cmd.SetAction(
            async (parse, ct) =>
            {
                var r = await CheckAsync(
                        parse,
                        c,
                        new JudgeCheck(parse.GetValue(against), parse.GetValue(mode), parse.GetValue(sample)),
                        ct
                    )
                    .ConfigureAwait(false);
                Console.WriteLine(
                    $"judge agreement on {r.Answers} answers to {r.Questions} questions: {r.RunMode} run judge vs {r.OtherMode} {r.OtherJudge}"
                );
                foreach (var v in r.Values)
                    Console.WriteLine(
                        $"  {v.Value, -16} kappa {Fmt(v.Kappa)}, agreement {Fmt(v.Agreement)}, yes {Fmt(v.RunPositiveRate)} vs {Fmt(v.OtherPositiveRate)}, score rank correlation {Fmt(v.ScoreSpearman)}"
                    );
                Console.WriteLine($"  mean kappa {Fmt(r.MeanKappa)}, mean score rank correlation {Fmt(r.MeanScoreSpearman)}");
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    private static Command Priming()
    {
        var (cmd, c) = Sub("priming", "Prime a target on each value; its score on that value must rise, the opposite group fall");
        var target = new Option<string>("--target")
        {
            Description = "The target model to prime (a name from evaluation.targets)",
            Required = true,
        };
        var values = new Option<string[]>("--values")
        {
            Description = "Value codes to prime on (default: all of the theory)",
            AllowMultipleArgumentsPerToken = true,
        };
        var questions = new Option<int?>("--questions")
        {
            Description = "Answer a random subset of this many of the run's questions per primed value (default: all)",
        };
        cmd.Options.Add(target);
        cmd.Options.Add(values);
        cmd.Options.Add(questions);
        cmd.SetAction(
            async (parse, ct) =>
            {
                var v = parse.GetValue(values);
                var r = await CheckAsync(
                        parse,
                        c,
                        new PrimingCheck(parse.GetValue(target)!, v is { Length: > 0 } ? v : null, parse.GetValue(questions)),
                        ct
                    )
                    .ConfigureAwait(false);
                foreach (
                    var (name, t) in new[] { ("primed value", r.Target), ("same group", r.SameGroup), ("opposite group", r.OppositeGroup) }
                )
                    Console.WriteLine(
                        $"  {name, -15} {Fmt(t.MeanBefore)} -> {Fmt(t.MeanAfter)}  t({t.Df}) = {Fmt(t.T)}, p = {Fmt(t.P)}, d = {Fmt(t.CohensD)}"
                    );
                Console.WriteLine(r.DirectionsAsPredicted ? "all directions as predicted" : "not all directions as predicted");
                return ErrorReporter.Ok;
            }
        );
        return cmd;
    }

    private static string Fmt(double x) => double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
