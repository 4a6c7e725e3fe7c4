using System.Globalization;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Planning;

/// <summary>Settings of a plan that are not in the config.</summary>
public sealed record PlanSettings
{
    /// <summary>Latency of one call (seconds) for a model whose calls the ledger has not measured (--latency).</summary>
    public double AssumedLatencySeconds { get; init; } = 2.0;

    /// <summary>A model's calls in flight when its config sets no concurrency (the engine's defaults by provider).</summary>
    public Func<ModelConfig, int> Concurrency { get; init; } = m => m.Concurrency ?? 8;

    /// <summary>How many seed questions generation scores at once (GenerationSettings.SeedParallelism).</summary>
    public int SeedParallelism { get; init; } = 4;

    /// <summary>Contexts already used that an explorer is shown (GenerationSettings.ContextsShown).</summary>
    public int ContextsShown { get; init; } = 20;
}

/// <summary>
/// What every part of a plan shares: the config, the theory, each model's token counter, prices and measured
/// history, and the tally of planned calls, which applies the measured re-ask rates and prices each row.
/// </summary>
internal sealed class PlanContext
{
    private readonly IReadOnlyDictionary<(string Model, string Role), RoleUsage> _usage;
    private readonly IReadOnlyDictionary<string, RoleUsage> _roles;
    private readonly IReadOnlyDictionary<string, ModelLatency> _latency;
    private readonly Dictionary<string, ITokenCounter> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _perWord = new(StringComparer.Ordinal);
    private readonly List<PlannedCalls> _rows = [];

    public PlanContext(
        AdaemConfig config,
        ValueTheory theory,
        ITokenCounters counters,
        IPlanPrices prices,
        IPlanHistory history,
        PlanSettings settings
    )
    {
        Config = config;
        Theory = theory;
        Counters = counters;
        Prices = prices;
        Settings = settings;
        var usage = history.RoleUsage();
        _usage = usage.ToDictionary(u => (u.Model, u.Role));
        // Other models' answers in a role, pooled, for a model that has none yet.
        _roles = usage
            .GroupBy(u => u.Role, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g =>
                {
                    var calls = g.Sum(u => u.Calls);
                    return new RoleUsage(
                        "",
                        g.Key,
                        calls,
                        g.Sum(u => u.ReAsks),
                        calls == 0 ? 0 : g.Sum(u => u.MeanInputTokens * u.Calls) / calls,
                        calls == 0 ? 0 : g.Sum(u => u.MeanOutputTokens * u.Calls) / calls
                    );
                },
                StringComparer.Ordinal
            );
        _latency = history.Latencies().ToDictionary(l => l.Model, StringComparer.Ordinal);
        Shape = history.GenerationShape();
        GenerationLanguage = PromptLanguages.Resolve(config.Generation.Language);
        EvaluationLanguage = PromptLanguages.Resolve(config.Evaluation.Language);
    }

    /// <summary>The language generation's prompts are rendered in (generation.language, else the top-level language).</summary>
    public PromptLanguage GenerationLanguage { get; }

    /// <summary>The language evaluation's prompts are rendered in.</summary>
    public PromptLanguage EvaluationLanguage { get; }

    public AdaemConfig Config { get; }
    public ValueTheory Theory { get; }
    public ITokenCounters Counters { get; }
    public IPlanPrices Prices { get; }
    public PlanSettings Settings { get; }

    /// <summary>How candidates fared in the store's generation runs so far; null when none took a step.</summary>
    public GenerationShape? Shape { get; }

    /// <summary>What the plan assumed or measured, in words.</summary>
    public List<string> Assumptions { get; } = [];

    public ModelConfig Model(string name) => Config.Models[name];

    public ITokenCounter CounterOf(string model)
    {
        if (!_counters.TryGetValue(model, out var c))
            _counters[model] = c = Counters.For(Model(model));
        return c;
    }

    /// <summary>Tokens per word of ordinary prose for the model's counter.</summary>
    public double TokensPerWord(string model)
    {
        if (!_perWord.TryGetValue(model, out var t))
            _perWord[model] = t = FillerText.TokensPerWord(CounterOf(model));
        return t;
    }

    /// <summary>Tokens of a rendered request for <paramref name="model"/>.</summary>
    public int Count(string model, IReadOnlyList<ChatMessage> messages) => CounterOf(model).Count(messages);

    /// <summary>
    /// The expected reply of <paramref name="model"/> in <paramref name="role"/>: the measured mean of its answers in
    /// the store, else other models' in the same role, else what the prompt allows (<see cref="OutputLimits"/>).
    /// </summary>
    public OutputEstimate Output(string model, string role, int opinions, int proposals = 1)
    {
        if (_usage.TryGetValue((model, role), out var mine) && mine.Calls > 0)
            return new OutputEstimate(mine.MeanOutputTokens, OutputSources.Measured);
        if (_roles.TryGetValue(role, out var any) && any.Calls > 0)
            return new OutputEstimate(any.MeanOutputTokens, OutputSources.MeasuredRole);
        return OutputLimits.For(
            role,
            CounterOf(model),
            Theory,
            opinions,
            OpinionPrompt.DefaultWordLimit,
            Model(model).MaxTokens,
            proposals
        );
    }

    /// <summary>Extra calls per first ask after unusable replies: measured for the model and role, else for the role, else none.</summary>
    public double ReAskRate(string model, string role) =>
        _usage.TryGetValue((model, role), out var mine) && mine.Calls > 0 ? mine.ReAskRate
        : _roles.TryGetValue(role, out var any) && any.Calls > 0 ? any.ReAskRate
        : 0;

    /// <summary>The mean latency of the model's calls in the ledger (seconds), or null when it has none.</summary>
    public double? MeasuredLatency(string model) =>
        _latency.TryGetValue(model, out var l) && l.Calls > 0 ? l.MeanMilliseconds / 1000.0 : null;

    /// <summary>
    /// Tallies <paramref name="firstAsks"/> calls of a model in a role, each with <paramref name="inputPerCall"/> tokens
    /// in; the measured re-ask rate adds calls, and the expected reply (<see cref="Output"/>) gives the tokens out.
    /// </summary>
    public void Add(string stage, string model, string role, double firstAsks, double inputPerCall, int opinions, int proposals = 1)
    {
        if (firstAsks <= 0)
            return;
        var output = Output(model, role, opinions, proposals);
        var calls = firstAsks * (1 + ReAskRate(model, role));
        var counter = CounterOf(model);
        var input = calls * inputPerCall;
        var outputTokens = calls * output.Tokens;
        var price = Prices.For(Model(model));
        _rows.Add(
            new PlannedCalls(
                stage,
                model,
                role,
                calls,
                input,
                outputTokens,
                counter.Name,
                counter.Estimate,
                output.Source,
                price?.Cost(input, outputTokens)
            )
        );
    }

    /// <summary>The calls tallied for <paramref name="stage"/>, one row per model and role.</summary>
    public IReadOnlyList<PlannedCalls> Rows(string stage) =>
        _rows
            .Where(r => r.Stage == stage)
            .GroupBy(r => (r.Model, r.Role))
            .Select(g =>
                g.Skip(1)
                    .Aggregate(
                        g.First(),
                        (a, b) =>
                            a with
                            {
                                Calls = a.Calls + b.Calls,
                                InputTokens = a.InputTokens + b.InputTokens,
                                OutputTokens = a.OutputTokens + b.OutputTokens,
                                Cost = a.Cost is null || b.Cost is null ? null : a.Cost + b.Cost,
                            }
                    )
            )
            .OrderBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Role, StringComparer.Ordinal)
            .ToList();

    /// <summary>A stand-in of a model's key point as long as its answers' key points are expected to be (for the judge's and the
    /// reflection's prompts).</summary>
    public string OpinionStandIn(string answeringModel, int opinions)
    {
        var answer = Output(answeringModel, PromptRoles.Opinion, opinions).Tokens;
        var counter = CounterOf(answeringModel);
        var frame = counter.Count("Stance: neutral\nKey Points:\n") + opinions * counter.Count("1. ");
        var perOpinion = Math.Max(1, (answer - frame) / opinions);
        return FillerText.OfWords((int)Math.Round(perOpinion / TokensPerWord(answeringModel)));
    }

    /// <summary>The judge's prompts for one answer of <paramref name="answeringModel"/>: their calls and mean tokens in, per
    /// answer.</summary>
    public (double Calls, double InputPerCall) JudgeCallsPerAnswer(
        string judge,
        string mode,
        string answeringModel,
        int opinions,
        PromptLanguage language
    )
    {
        var opinion = OpinionStandIn(answeringModel, opinions);
        if (mode == JudgeConfig.PerValue)
        {
            var mean = Theory.Values.Average(v => (double)Count(judge, ValueJudgePrompt.PerValue(Theory, opinion, v, language).Messages));
            return (opinions * Theory.Count, mean);
        }
        return (1, Count(judge, ValueJudgePrompt.Batched(Theory, Enumerable.Repeat(opinion, opinions).ToList(), language).Messages));
    }

    /// <summary>The prompt role the judge's calls are recorded under in the given mode.</summary>
    public static string JudgeRole(string mode) => mode == JudgeConfig.PerValue ? PromptRoles.JudgeValue : PromptRoles.JudgeBatched;

    public static string N(double x) => x.ToString("N0", CultureInfo.InvariantCulture);

    public static string P(double share) => share.ToString("P0", CultureInfo.InvariantCulture);
}
