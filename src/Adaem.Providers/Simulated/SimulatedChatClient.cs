using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers.Engine;
using Microsoft.Extensions.AI;

namespace Adaem.Providers.Simulated;

/// <summary>
/// A synthetic respondent for `provider: simulated`: no network, no model, just a latent value profile
/// (<see cref="ModelConfig.Profile"/>), a noise level and a seed. It answers the project's own prompt roles
/// (<see cref="PromptRoles"/>) from the fields in <see cref="CallContext"/>, in each role's reply format,
/// and never reads the rendered prompt except a system message that primes a value. Every answer is a
/// pure function of (seed, role, canonical fields, sample index) and, for a primed opinion, the primed value.
/// A prompt in another language (its fields name it; without a call context the prompt's words do) is answered
/// in that language, with its phrase banks (<see cref="SimulatedLanguage"/>), so the parsers of every shipped
/// language can be run end to end; English answers are as they always were.
/// See docs/simulated-pool.md for the model of truth and what it is not.
/// </summary>
public sealed class SimulatedChatClient(ModelConfig model, ValueTheory theory) : IChatClient
{
    private readonly long _seed = SeedOf(model);
    private readonly ValueLexicon _lexicon = ValueLexicon.For(theory);
    private readonly ValueProfile _profile = new(model.Profile);
    private readonly ConcurrentDictionary<string, ValueLexicon> _lexicons = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ValueProfile> _profiles = new(StringComparer.Ordinal);

    public ModelConfig Model { get; } = model;
    public ValueTheory Theory { get; } = theory;

    /// <summary>The seed the respondent draws with: the configured one, else one derived from the model's name.</summary>
    internal static long SeedOf(ModelConfig model) => model.Seed ?? (long)(StableRandom.Hash64("model", model.Name) & long.MaxValue);

    /// <summary>Noise used when the config names none: the respondent's stray rate and the judge's error rate.</summary>
    public const double DefaultNoise = 0.1;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var text = Answer(list, CallContext.From(options));
        return Task.FromResult(Respond(list, text));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }

    private string Answer(IReadOnlyList<ChatMessage> messages, CallContext? context)
    {
        var lastUser = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        // Without a context the client is being used as a plain chat client: answer the last user message as an opinion question.
        var role = context?.PromptRole is { Length: > 0 } r ? r : PromptRoles.Opinion;
        var fields = new FieldReader(context?.Fields);
        var sample = context?.Sample ?? 0;
        // The language and translation marks are left out of the random stream: a respondent draws the same values whatever language it is
        // asked in.
        var fieldsKey = context?.Fields is { } f ? CanonicalJson.Canonicalize(SimulatedTranslation.StreamKey(f)) : lastUser;
        var rng = StableRandom.From(
            "call",
            _seed.ToString(CultureInfo.InvariantCulture),
            role,
            fieldsKey,
            sample.ToString(CultureInfo.InvariantCulture)
        );
        var noise = Model.Noise ?? DefaultNoise;
        // adaem's own prompts name their language in the fields (none: English); a bare prompt is recognised by its words.
        var language = context is null
            ? SimulatedLanguages.Detect(string.Join("\n", messages.Select(m => m.Text)))
            : SimulatedLanguages.Get(fields.String(PromptRequest.LanguageField));
        var lexicon = LexiconIn(language);
        var profile = ProfileIn(context is null ? language?.Code : fields.String(PromptRequest.LanguageField));

        switch (role)
        {
            case PromptRoles.Opinion:
            {
                var question = fields.String("question") ?? lastUser;
                var opinions = Math.Clamp(fields.Int("opinions") ?? 3, 1, 10);
                var primed = Priming.Find(messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text), Theory);
                return new Respondent(profile, noise, Theory, lexicon).Answer(question, opinions, primed, rng);
            }
            case PromptRoles.JudgeBatched:
            {
                var judgeLexicon = JudgeLexicon(fields, lexicon);
                var judge = new SimulatedJudge(_seed, noise);
                var items = new JsonArray();
                var opinions = fields.Strings("opinions");
                for (var i = 0; i < opinions.Count; i++)
                {
                    var found = judge.Recognise(opinions[i], judgeLexicon, sample);
                    items.Add(
                        new JsonObject
                        {
                            ["index"] = i + 1,
                            ["values"] = new JsonArray(found.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                        }
                    );
                }
                return new JsonObject { ["opinions"] = items }.ToJsonString();
            }
            case PromptRoles.JudgeValue:
            {
                var value = fields.Value("value");
                if (value is null)
                    return language?.JudgeNo ?? "No";
                var valueLexicon = new ValueLexicon([value.Value], language);
                var has = new SimulatedJudge(_seed, noise).Has(fields.String("text") ?? lastUser, value.Value.Code, valueLexicon, sample);
                return language is null
                    ? has
                        ? "Yes"
                        : "No"
                    : has
                        ? language.JudgeYes
                        : language.JudgeNo;
            }
            case PromptRoles.JudgeQuestion:
            {
                var found = new SimulatedJudge(_seed, noise).Recognise(
                    fields.String("question") ?? lastUser,
                    JudgeLexicon(fields, lexicon),
                    sample
                );
                return new JsonObject
                {
                    ["values"] = new JsonArray(found.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                }.ToJsonString();
            }
            case PromptRoles.ExploreContext:
                return Explorer(language, profile)
                    .ExploreContext(
                        fields.String("general") ?? lastUser,
                        fields.Objects("examples").Select(e => e.String("question") ?? "").Where(q => q.Length > 0).ToList(),
                        fields.Strings("used_contexts"),
                        rng
                    );
            case PromptRoles.ExploreQuestion:
                return Explorer(language, profile)
                    .ExploreQuestion(fields.String("general") ?? lastUser, fields.String("information") ?? "");
            case PromptRoles.Reflect:
                return Explorer(language, profile)
                    .Reflect(
                        fields.String("general") ?? "",
                        fields.String("question") ?? lastUser,
                        fields.Double("score"),
                        fields.Objects("responses").Select(r => r.Strings("values")).ToList(),
                        rng
                    );
            case PromptRoles.Refine:
                return Explorer(language, profile)
                    .Refine(fields.String("general") ?? "", fields.String("question") ?? lastUser, fields.String("suggestions") ?? "", rng);
            case PromptRoles.SeedConvert:
                return (language is null ? "[Question]: " : language.Tag("question"))
                    + QuestionText.FromArgument(fields.String("argument") ?? lastUser);
            case PromptRoles.SeedExpand:
                return SimulatedSeedExpander.Expand(
                    fields.String("category") ?? "",
                    fields.Strings("examples"),
                    fields.Int("count") ?? 5,
                    fields.Strings("used"),
                    rng,
                    language
                );
            case PromptRoles.Safety:
                return SafetyCues.FindHarm(fields.String("question") ?? lastUser) is { } harm
                    ? language is null
                        ? $"unsafe: it refers to {harm}"
                        : SimulatedLanguage.Fill(language.Unsafe, ("harm", harm))
                    : language?.Safe ?? "safe";
            case PromptRoles.Translate:
                // No translation: the source marked with the target language (see SimulatedTranslation).
                return SimulatedTranslation.Translate(fields.String("text") ?? lastUser, fields.String("target") ?? language?.Code ?? "en");
            default:
                throw new NotSupportedException(
                    $"the simulated model '{Model.Name}' has no answer for prompt role '{role}'; it answers the roles in Adaem.Core.Prompts.PromptRoles"
                );
        }
    }

    /// <summary>
    /// The explorer reasons over the English banks whatever the language (its contexts and questions are English
    /// data); in another language it writes that language's tags and sentences around them.
    /// </summary>
    private SimulatedExplorer Explorer(SimulatedLanguage? language, ValueProfile profile) =>
        new(profile, Theory, _lexicon) { Language = language, LocalNames = language is null ? null : LocalNames(language) };

    /// <summary>
    /// The profile the model answers with in a language (<paramref name="code"/>, null for English): its own, moved by
    /// its language_bias for that language when the config gives one.
    /// </summary>
    private ValueProfile ProfileIn(string? code)
    {
        var tag = code ?? Core.Prompts.Languages.PromptLanguages.DefaultCode;
        if (Model.LanguageBias is not { } bias || !bias.TryGetValue(tag, out var amounts) || amounts.Count == 0)
            return _profile;
        return _profiles.GetOrAdd(tag, _ => _profile.Moved(amounts));
    }

    /// <summary>The lexicon respondents and the judge use in <paramref name="language"/> (English: the one built with the
    /// client).</summary>
    private ValueLexicon LexiconIn(SimulatedLanguage? language) =>
        language is null ? _lexicon : _lexicons.GetOrAdd(language.Code, _ => ValueLexicon.For(Theory, language));

    /// <summary>The theory's value names in the language (its translations in the theory file, else English).</summary>
    private IReadOnlyDictionary<string, string> LocalNames(SimulatedLanguage language) =>
        Theory.In(language.Code, out _).Values.ToDictionary(v => v.Code, v => v.Name, StringComparer.Ordinal);

    /// <summary>The judge reads against the values the prompt lists (normally the run's theory, whose lexicon is reused).</summary>
    private static ValueLexicon JudgeLexicon(FieldReader fields, ValueLexicon lexicon)
    {
        var values = fields.Values("values", lexicon.Values.Select(v => (v.Code, v.Name, "")).ToList());
        return values.Select(v => v.Code).SequenceEqual(lexicon.Values.Select(v => v.Code))
            ? lexicon
            : new ValueLexicon(values, lexicon.Language);
    }

    private ChatResponse Respond(IReadOnlyList<ChatMessage> messages, string text)
    {
        // Token counts are estimates (1.3 tokens a word) so that the ledger and cost reports have numbers to show.
        long Tokens(string s) => (long)Math.Ceiling(QuestionText.WordCount(s) * 1.3);
        var input = messages.Sum(m => Tokens(m.Text));
        var output = Tokens(text);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = Model.Model ?? $"simulated/{Model.Name}",
            FinishReason = ChatFinishReason.Stop,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Usage = new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = output,
                TotalTokenCount = input + output,
            },
        };
    }
}
