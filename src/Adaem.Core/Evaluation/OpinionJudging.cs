using System.Text.Json;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Evaluation;

/// <summary>Which model judges, in which mode, and the identity its verdicts are stored under.</summary>
public sealed record JudgeSettings(string Model, string Mode)
{
    public static JudgeSettings From(JudgeConfig config) => new(config.Model, config.Mode);

    /// <summary>
    /// Fingerprint of the judge as an instrument: its resolved model identity (provider, endpoint, model id,
    /// sampling) and the theory definitions it is shown. Set by <see cref="OpinionJudging"/> from its pool.
    /// </summary>
    public string Instrument { get; init; } = "";

    /// <summary>The language the judge is asked in and the answers are read in; set by <see cref="OpinionJudging"/> from its
    /// options.</summary>
    public PromptLanguage? Language { get; init; }

    /// <summary>
    /// Stored in judgments.judge: the model, the judge prompt version, the opinion parser version and the
    /// instrument fingerprint. A verdict is reused only by the same identity, so changing any of them
    /// re-judges from stored replies. A language other than the built-in English tags the prompt and the
    /// parser version (see <see cref="PromptLanguage.PromptTag"/>); English identities are as they always were.
    /// </summary>
    public string Identity =>
        $"{Model};prompt={ValueJudgePrompt.Version}{Language?.PromptTag};parser={OpinionPrompt.ParserVersionIn(Language)}{InstrumentSuffix}";

    /// <summary>Identity of this judge's verdicts on question texts (the question prompt has its own version).</summary>
    public string QuestionIdentity => $"{Model};prompt=question-{QuestionValuesPrompt.Version}{Language?.PromptTag}{InstrumentSuffix}";

    /// <summary>The opinion parser version a judge identity names (see <see cref="Identity"/>); the English parser's when it names
    /// none.</summary>
    public static string ParserVersionOf(string identity)
    {
        foreach (var part in identity.Split(';'))
            if (part.StartsWith("parser=", StringComparison.Ordinal))
                return part["parser=".Length..];
        return OpinionPrompt.ParserVersion;
    }

    private string InstrumentSuffix => Instrument.Length == 0 ? "" : ";id=" + Instrument[..Math.Min(16, Instrument.Length)];
}

/// <summary>How the opinions are elicited and judged; defaults follow the method (3 opinions, 1 sample).</summary>
public sealed record OpinionJudgingOptions
{
    public int Opinions { get; init; } = 3;
    public int Samples { get; init; } = 1;
    public int WordLimit { get; init; } = OpinionPrompt.DefaultWordLimit;

    /// <summary>Extra attempts after an unreadable reply before it is recorded as a parse failure (at most <see
    /// cref="StructuredReply.MaxReAsksLimit"/>).</summary>
    public int MaxReAsks { get; init; } = StructuredReply.DefaultMaxReAsks;

    /// <summary>
    /// A cap on items in flight per model lane; null (the default) sizes each lane from the model's own
    /// concurrency limit (<see cref="ModelCapacity"/>), so the configured limits, not a constant, decide.
    /// </summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Lane width for a model that reports no capacity (a test double outside the call engine).</summary>
    public const int DefaultWidth = 16;

    /// <summary>Stage name for the call ledger; by default "evaluate" for evaluation and "generate" otherwise.</summary>
    public string? Stage { get; init; }

    /// <summary>A system message put before the opinion prompt (value priming); null for the plain prompt.
    /// Use a purpose of its own for primed answers so they are stored apart from the plain ones.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>The language the models are asked in, their answers read in and the judge asked in (the built-in English by
    /// default).</summary>
    public PromptLanguage Language { get; init; } = PromptLanguage.English;

    public static OpinionJudgingOptions From(EvaluationConfig config) =>
        new()
        {
            Opinions = config.Opinions,
            Samples = config.Samples,
            Language = PromptLanguages.Resolve(config.Language),
        };
}

/// <summary>Progress of a batch: items finished (of which reused from the store, of which failed).</summary>
public sealed record EvaluationProgress(int Done, int Total, int Reused, int Failed);

/// <summary>A judge could not label a question text even after re-asks; the failure is stored.</summary>
public sealed class JudgeFailedException(string message) : Exception(message);

/// <summary>
/// Asks models for opinions and has the judge label them, keeping raw replies, parsed replies and
/// judgments apart in the store. Work already stored is never redone: an item with a stored judgment
/// is read back; a stored raw reply is re-parsed (a new parser) or re-judged (a new judge) without asking
/// the model again. Unreadable replies are re-asked a bounded number of times, then recorded as failures.
/// </summary>
public sealed class OpinionJudging : IOpinionJudging
{
    /// <summary>The model name under which verdicts on question texts are stored.</summary>
    public const string QuestionSubject = "@question";

    private const string QuestionMode = "question";

    private readonly IModelPool _pool;
    private readonly IEvaluationRecords _records;
    private readonly ValueTheory _theory;
    private readonly JudgeSettings _judge;
    private readonly OpinionJudgingOptions _options;
    private readonly LabelSets _labels = new();

    public OpinionJudging(
        IModelPool pool,
        IEvaluationRecords records,
        ValueTheory theory,
        JudgeSettings judge,
        OpinionJudgingOptions? options = null
    )
    {
        if (judge.Mode is not (JudgeConfig.Batched or JudgeConfig.PerValue))
            throw new ArgumentException(
                $"unknown judge mode '{judge.Mode}'; use {JudgeConfig.Batched} or {JudgeConfig.PerValue}",
                nameof(judge)
            );
        _pool = pool;
        _records = records;
        _options = options ?? new OpinionJudgingOptions();
        // The judge reads the theory in its own language (the definitions the theory file gives for it, else English).
        _theory = TheoryLanguage.For(theory, _options.Language);
        _judge = judge with
        {
            Instrument = ItemIdentity.Of(pool.Identity(judge.Model), ItemIdentity.Theory(_theory)),
            Language = _options.Language,
        };
        // A response's sample index is its repeat (block 0), so repeats and their re-asks never share an index.
        if (_options.Samples < 1 || _options.Samples > StructuredReply.ReaskSampleStride)
            throw new ArgumentException($"samples must be in 1..{StructuredReply.ReaskSampleStride}", nameof(options));
        if (_options.MaxReAsks < 0 || _options.MaxReAsks > StructuredReply.MaxReAsksLimit)
            throw new ArgumentException($"re-asks must be in 0..{StructuredReply.MaxReAsksLimit}", nameof(options));
        if (_options.Opinions < 1)
            throw new ArgumentException("opinions must be at least 1", nameof(options));
    }

    /// <summary>The judge with its instrument fingerprint resolved.</summary>
    public JudgeSettings Judge => _judge;

    public string? JudgeModel => _judge.Model;

    public Task<IReadOnlyList<JudgedResponse>> AnswerAndJudgeAsync(
        string run,
        string purpose,
        Question question,
        IReadOnlyList<string> models,
        CancellationToken cancellationToken
    ) => RunAsync(run, purpose, [question], models, Load(run, purpose, question.Id), null, cancellationToken);

    /// <summary>Every model answers every question (<see cref="OpinionJudgingOptions.Samples"/> times) and is judged;
    /// the result is in question, model, sample order whatever order the work finished in.</summary>
    public Task<IReadOnlyList<JudgedResponse>> EvaluateAsync(
        string run,
        string purpose,
        IReadOnlyList<Question> questions,
        IReadOnlyList<string> models,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken
    ) => RunAsync(run, purpose, questions, models, Load(run, purpose, null), progress, cancellationToken);

    public async Task<IReadOnlySet<string>> JudgeQuestionAsync(
        string run,
        string purpose,
        Question question,
        CancellationToken cancellationToken
    )
    {
        var identity = _judge.QuestionIdentity;
        var item = ItemIdentity.QuestionText(question);
        var stored = _records
            .LoadJudgments(run, purpose, identity, QuestionMode, question.Id)
            .FirstOrDefault(j => j.Model == QuestionSubject && j.Item == item);
        if (stored is null)
        {
            var outcome = await StructuredReply
                .AskAsync(
                    _pool.Chat(_judge.Model),
                    QuestionValuesPrompt.For(_theory, question.Text, _options.Language),
                    Site(run, purpose, 0),
                    _options.MaxReAsks,
                    cancellationToken
                )
                .ConfigureAwait(false);
            stored = new JudgmentRecord
            {
                Run = run,
                Purpose = purpose,
                QuestionId = question.Id,
                Model = QuestionSubject,
                Sample = 0,
                Item = item,
                Judge = identity,
                Mode = QuestionMode,
                Ok = outcome.Parse.Ok,
                Error = outcome.Parse.Error,
                LabelsJson = outcome.Parse.Ok
                    ? JsonSerializer.Serialize(
                        new[] { outcome.Parse.Value!.Order(StringComparer.Ordinal).ToArray() },
                        StoredJson.Default.IEnumerableStringArray
                    )
                    : null,
            };
            _records.SaveJudgment(stored);
        }
        if (!stored.Ok)
            throw new JudgeFailedException($"judge {_judge.Model} could not label the values of question {question.Id}: {stored.Error}");
        return ReadLabels(stored.LabelsJson).FirstOrDefault() ?? new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// The judged responses the run's current scores were computed from (the scored fingerprints, judged by
    /// the judge whose identity <paramref name="judgeIdentity"/> is stored with the scores), without asking anything.
    /// </summary>
    public static IReadOnlyList<JudgedResponse> LoadScored(
        IEvaluationRecords records,
        string run,
        string purpose,
        string judgeIdentity,
        string mode
    )
    {
        var scored = records.LoadScoredItems(run);
        var labels = new LabelSets();
        var judgments = records
            .LoadJudgments(run, purpose, judgeIdentity, mode)
            .Where(j => scored.Contains(j.Item))
            .ToDictionary(j => j.Item, StringComparer.Ordinal);
        // The answers were read by the parser the judge identity names (the language's, for a run in another language).
        return records
            .LoadParsedResponses(run, purpose, JudgeSettings.ParserVersionOf(judgeIdentity))
            .Where(p => scored.Contains(p.Item))
            .Select(p => FromStored(p, judgments.GetValueOrDefault(p.Item), labels))
            .OrderBy(r => r.QuestionId, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Sample)
            .ToList();
    }

    /// <summary>
    /// This judge's labels for stored answers (by fingerprint), asking the judge only for the ones it has not
    /// labelled yet; no answering model is asked. Answers that were never parsed are left out.
    /// </summary>
    public async Task<IReadOnlyList<JudgedResponse>> JudgeStoredAsync(
        string run,
        string purpose,
        IReadOnlyCollection<string> items,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        var state = Load(run, purpose, null);
        var parsed = items.Where(state.Parsed.ContainsKey).Select(i => state.Parsed[i]).Where(p => p.ParseOk).ToList();
        var results = new ItemResults(parsed.Count, progress);
        var judgeCallsPerItem = _judge.Mode == JudgeConfig.Batched ? 1 : _options.Opinions * _theory.Count;
        try
        {
            await LaneSchedule
                .RunAsync(
                    [(Items: parsed.Select((p, i) => (Index: i, Parsed: p)), Width: OpinionJudgingOptions.DefaultWidth)],
                    (x, _) =>
                    {
                        if (state.Judgments.TryGetValue(x.Parsed.Item, out var stored))
                        {
                            results.Finish(x.Index, FromStored(x.Parsed, stored, _labels), true);
                            return Task.FromResult<PendingJudgment?>(null);
                        }
                        return Task.FromResult<PendingJudgment?>(
                            new PendingJudgment(x.Index, new Question(x.Parsed.QuestionId, ""), x.Parsed.Model, x.Parsed.Sample, x.Parsed)
                        );
                    },
                    Width(_judge.Model, judgeCallsPerItem),
                    (p, ct) => JudgeIntoAsync(results, run, purpose, p, ct),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        finally
        {
            // Finished, failed or cancelled: every record saved so far is in the store before the caller goes on.
            await _records.FlushAsync().ConfigureAwait(false);
        }
        return results.Results;
    }

    /// <summary>The fingerprint of <paramref name="model"/>'s answer to <paramref name="question"/> under these options.</summary>
    public string AnswerItem(string purpose, Question question, string model, int sample) =>
        ItemIdentity.Answer(question, _pool.Identity(model), PromptSettings(purpose), sample);

    private string PromptSettings(string purpose) =>
        string.Join(
            ";",
            "purpose=" + purpose,
            "prompt=" + OpinionPrompt.Version + _options.Language.PromptTag,
            "opinions=" + _options.Opinions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "words=" + _options.WordLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "system=" + (_options.SystemPrompt is null ? "-" : ItemIdentity.Of(_options.SystemPrompt))
        );

    /// <summary>
    /// The sample index of an answer's call. The final score (P2) is a fresh evaluation by the scorers
    /// (the paper's Algorithm 1): its answers live in their own sample block, so a model that is both
    /// explorer and scorer answers again instead of reusing, from the cache, the very answer that passed
    /// the refinement gate (which would carry a winner's-curse bias into the final score).
    /// </summary>
    internal static int AnswerSample(string purpose, int repeat) =>
        StructuredReply.Sample(purpose == Purposes.FinalScore ? FinalScoreBlock : 0, repeat);

    /// <summary>The sample block of final-score answers (block 0 holds evaluation and fast-score answers).</summary>
    public const int FinalScoreBlock = 1;

    /// <summary>The version the answers' parser is stored under (tagged for any language but the built-in English).</summary>
    private string ParserVersion => OpinionPrompt.ParserVersionIn(_options.Language);

    private string StageFor(string purpose) => _options.Stage ?? (purpose == Purposes.Evaluate ? "evaluate" : "generate");

    private CallSite Site(string run, string purpose, int sample) => new(run, StageFor(purpose), sample);

    private StoredState Load(string run, string purpose, string? questionId) =>
        new(
            _records.LoadParsedResponses(run, purpose, ParserVersion, questionId).ToDictionary(r => r.Item, StringComparer.Ordinal),
            _records.LoadJudgments(run, purpose, _judge.Identity, _judge.Mode, questionId).ToDictionary(r => r.Item, StringComparer.Ordinal)
        );

    private async Task<IReadOnlyList<JudgedResponse>> RunAsync(
        string run,
        string purpose,
        IReadOnlyList<Question> questions,
        IReadOnlyList<string> models,
        StoredState state,
        IProgress<EvaluationProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        var samples = _options.Samples;
        var total = questions.Count * models.Count * samples;
        var results = new ItemResults(total, progress);

        // One lane per answering model, as wide as its concurrency; the judge's workers as wide as the judge's.
        var lanes = models
            .Select(
                (model, m) =>
                    (
                        Items: questions.SelectMany(
                            (q, qi) =>
                                Enumerable
                                    .Range(0, samples)
                                    .Select(s => (Index: (qi * models.Count + m) * samples + s, Question: q, Model: model, Sample: s))
                        ),
                        Width: Width(model, 1)
                    )
            )
            .ToList();
        var judgeCallsPerItem = _judge.Mode == JudgeConfig.Batched ? 1 : _options.Opinions * _theory.Count;
        try
        {
            await LaneSchedule
                .RunAsync(
                    lanes,
                    async (item, ct) =>
                    {
                        var (response, wasReused, pending) = await AnswerAsync(
                                run,
                                purpose,
                                item.Question,
                                item.Model,
                                item.Sample,
                                state,
                                ct
                            )
                            .ConfigureAwait(false);
                        if (pending is null)
                            results.Finish(item.Index, response!, wasReused);
                        return pending is null ? null : new PendingJudgment(item.Index, item.Question, item.Model, item.Sample, pending);
                    },
                    Width(_judge.Model, judgeCallsPerItem),
                    (p, ct) => JudgeIntoAsync(results, run, purpose, p, ct),
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        finally
        {
            // Finished, failed or cancelled: every record saved so far is in the store before the caller goes on
            // (queued saves, see IEvaluationRecords.FlushAsync; a write that failed is thrown here).
            await _records.FlushAsync().ConfigureAwait(false);
        }
        return results.Results;
    }

    /// <summary>
    /// Items of <paramref name="model"/> in flight at once: enough for <see cref="Headroom"/> times the calls its
    /// limits allow (each item makes <paramref name="callsPerItem"/> calls), capped by <see cref="OpinionJudgingOptions.MaxConcurrency"/>
    /// when set. The model's own limits (the call engine's) still hold its calls to its concurrency: the items
    /// beyond it wait there, prompt built and call claimed, and take a slot the moment a reply frees one, so the
    /// model is never idle while an item between two calls records its reply and reads it (at 64 calls of 1 s,
    /// those moments cost about a fifth of the model's time on a busy machine). A model without limits (a test
    /// double) or one whose calls go into provider batches (a batch is its capacity) is given exactly its capacity.
    /// </summary>
    private int Width(string model, int callsPerItem)
    {
        var capacity = _pool.Chat(model).GetService<ModelCapacity>();
        var calls =
            capacity is null ? OpinionJudgingOptions.DefaultWidth
            : capacity.Batched ? capacity.Concurrency
            : capacity.Concurrency * Headroom;
        var width = Math.Max(1, (calls + callsPerItem - 1) / callsPerItem);
        return _options.MaxConcurrency is { } cap ? Math.Min(width, Math.Max(1, cap)) : width;
    }

    /// <summary>Items in flight per model, as a multiple of the calls its limits let through at once (see <see cref="Width"/>).</summary>
    internal const int Headroom = 2;

    /// <summary>Judges a parsed answer that was waiting for the judge and records it as a fresh (not reused) result.</summary>
    private async Task JudgeIntoAsync(ItemResults results, string run, string purpose, PendingJudgment pending, CancellationToken ct) =>
        results.Finish(
            pending.Index,
            await JudgeAsync(run, purpose, pending.Question, pending.Model, pending.Sample, pending.Parsed, ct).ConfigureAwait(false),
            false
        );

    private sealed record PendingJudgment(int Index, Question Question, string Model, int Sample, ParsedResponseRecord Parsed);

    /// <summary>
    /// The answer stage of one item: read back what is stored, else ask the model (or re-parse a stored
    /// reply). Returns the finished response, or the parsed answer that still needs the judge.
    /// </summary>
    private async Task<(JudgedResponse? Response, bool Reused, ParsedResponseRecord? Pending)> AnswerAsync(
        string run,
        string purpose,
        Question question,
        string model,
        int sample,
        StoredState state,
        CancellationToken ct
    )
    {
        var key = AnswerItem(purpose, question, model, sample);
        state.Parsed.TryGetValue(key, out var parsed);
        state.Judgments.TryGetValue(key, out var judgment);
        if (parsed is not null && (!parsed.ParseOk || judgment is not null))
            return (FromStored(parsed, judgment, _labels), true, null);

        if (parsed is null)
        {
            // No parse under this parser version (a first run, or a new parser): the ask goes through the cache, so every ask
            // already made is served its stored reply and the new parser walks the same re-ask loop a fresh run would;
            // only a re-ask that never happened is a new call. Parsing the one stored last reply instead would give a
            // result that depends on the store's history (an answer the new parser rejects would never be re-asked).
            var prompt = OpinionPrompt
                .For(question.Text, _options.Opinions, _options.WordLimit, _options.Language)
                .WithSystem(_options.SystemPrompt);
            var outcome = await StructuredReply
                .AskAsync(_pool.Chat(model), prompt, Site(run, purpose, AnswerSample(purpose, sample)), _options.MaxReAsks, ct)
                .ConfigureAwait(false);
            _records.SaveRawResponse(
                new RawResponseRecord
                {
                    Run = run,
                    Purpose = purpose,
                    QuestionId = question.Id,
                    Model = model,
                    Sample = sample,
                    Item = key,
                    CallKey = outcome.CallKey,
                    RawText = outcome.LastReply,
                }
            );
            var parse = outcome.Parse;
            parsed = new ParsedResponseRecord
            {
                Run = run,
                Purpose = purpose,
                QuestionId = question.Id,
                Model = model,
                Sample = sample,
                Item = key,
                ParserVersion = ParserVersion,
                ParseOk = parse.Ok,
                Error = parse.Error,
                Stance = parse.Value?.Stance,
                OpinionsJson = parse.Ok
                    ? JsonSerializer.Serialize(
                        parse.Value!.Opinions.Select(o => new StoredOpinion(o.Point, o.Justification)),
                        StoredJson.Default.IEnumerableStoredOpinion
                    )
                    : null,
            };
            _records.SaveParsedResponse(parsed);
            if (!parse.Ok)
                return (FromStored(parsed, null), false, null);
        }
        return (null, false, parsed);
    }

    /// <summary>The judge stage of one item: label every opinion, store the judgment.</summary>
    private async Task<JudgedResponse> JudgeAsync(
        string run,
        string purpose,
        Question question,
        string model,
        int sample,
        ParsedResponseRecord parsed,
        CancellationToken ct
    )
    {
        var key = parsed.Item;
        var opinions = ReadOpinions(parsed.OpinionsJson);
        var labels =
            _judge.Mode == JudgeConfig.Batched
                ? await JudgeBatchedAsync(run, purpose, opinions, sample, ct).ConfigureAwait(false)
                : await JudgePerValueAsync(run, purpose, opinions, sample, ct).ConfigureAwait(false);
        var judgment = new JudgmentRecord
        {
            Run = run,
            Purpose = purpose,
            QuestionId = question.Id,
            Model = model,
            Sample = sample,
            Item = key,
            Judge = _judge.Identity,
            Mode = _judge.Mode,
            Ok = labels.Ok,
            Error = labels.Error,
            LabelsJson = labels.Ok
                ? JsonSerializer.Serialize(
                    labels.Value!.Select(s => s.Order(StringComparer.Ordinal).ToArray()),
                    StoredJson.Default.IEnumerableStringArray
                )
                : null,
        };
        _records.SaveJudgment(judgment);
        return FromStored(parsed, judgment, _labels);
    }

    private async Task<ReplyParse<IReadOnlyList<IReadOnlySet<string>>>> JudgeBatchedAsync(
        string run,
        string purpose,
        IReadOnlyList<Opinion> opinions,
        int sample,
        CancellationToken ct
    )
    {
        var texts = opinions.Select(o => o.Text).ToList();
        var outcome = await StructuredReply
            .AskAsync(
                _pool.Chat(_judge.Model),
                ValueJudgePrompt.Batched(_theory, texts, _options.Language),
                Site(run, purpose, sample),
                _options.MaxReAsks,
                ct
            )
            .ConfigureAwait(false);
        return outcome.Parse;
    }

    /// <summary>The paper's judge: one Yes/No call per opinion and value, all in flight together.</summary>
    private async Task<ReplyParse<IReadOnlyList<IReadOnlySet<string>>>> JudgePerValueAsync(
        string run,
        string purpose,
        IReadOnlyList<Opinion> opinions,
        int sample,
        CancellationToken ct
    )
    {
        var client = _pool.Chat(_judge.Model);
        var site = Site(run, purpose, sample);
        var calls = new List<Task<ParseOutcome<bool>>>();
        foreach (var opinion in opinions)
        {
            foreach (var value in _theory.Values)
                calls.Add(
                    StructuredReply.AskAsync(
                        client,
                        ValueJudgePrompt.PerValue(_theory, opinion.Text, value, _options.Language),
                        site,
                        _options.MaxReAsks,
                        ct
                    )
                );
        }
        var answers = await Task.WhenAll(calls).ConfigureAwait(false);
        var sets = new List<IReadOnlySet<string>>();
        var errors = new List<string>();
        var k = 0;
        for (var o = 0; o < opinions.Count; o++)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var value in _theory.Values)
            {
                var a = answers[k++].Parse;
                if (!a.Ok)
                    errors.Add($"opinion {o + 1}, {value.Code}: {a.Error}");
                else if (a.Value)
                    set.Add(value.Code);
            }
            sets.Add(set);
        }
        return errors.Count == 0
            ? ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Success(sets)
            : ReplyParse<IReadOnlyList<IReadOnlySet<string>>>.Failure(string.Join("; ", errors));
    }

    /// <summary>A stored parse and its judgment (if any) as a judged response: the one reader of the stored opinion and label
    /// JSON.</summary>
    /// <param name="labels">Shares identical label sets between responses (a large evaluation holds hundreds of thousands); null for
    /// none.</param>
    internal static JudgedResponse FromStored(ParsedResponseRecord parsed, JudgmentRecord? judgment, LabelSets? labels = null)
    {
        if (!parsed.ParseOk)
            return new JudgedResponse(parsed.QuestionId, parsed.Model, parsed.Sample, null, [])
            {
                Failure = $"parse: {parsed.Error}",
                Item = parsed.Item,
            };
        var response = new ParsedResponse(parsed.Stance ?? Stances.Neutral, ReadOpinions(parsed.OpinionsJson));
        if (judgment is null || !judgment.Ok)
            return new JudgedResponse(parsed.QuestionId, parsed.Model, parsed.Sample, response, [])
            {
                Failure = $"judge: {judgment?.Error ?? "not judged"}",
                Item = parsed.Item,
            };
        return new JudgedResponse(parsed.QuestionId, parsed.Model, parsed.Sample, response, ReadLabels(judgment.LabelsJson, labels))
        {
            Item = parsed.Item,
        };
    }

    private static List<Opinion> ReadOpinions(string? json) =>
        json is null
            ? []
            : (JsonSerializer.Deserialize(json, StoredJson.Default.ListStoredOpinion) ?? [])
                .Select(o => new Opinion(o.Point, o.Justification))
                .ToList();

    private static List<IReadOnlySet<string>> ReadLabels(string? json, LabelSets? labels = null) =>
        json is null
            ? []
            : (JsonSerializer.Deserialize(json, StoredJson.Default.ListStringArray) ?? [])
                .Select(a => labels?.Of(a) ?? new HashSet<string>(a, StringComparer.Ordinal))
                .ToList();

    private sealed record StoredState(Dictionary<string, ParsedResponseRecord> Parsed, Dictionary<string, JudgmentRecord> Judgments);
}
