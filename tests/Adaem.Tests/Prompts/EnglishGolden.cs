using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Adaem.Core.Configuration;
using Adaem.Core.Models;
using Adaem.Core.Prompts;
using Adaem.Core.Theory;
using Adaem.Providers.Simulated;
using Adaem.Tests.Evaluation;
using Microsoft.Extensions.AI;

namespace Adaem.Tests.Prompts;

/// <summary>
/// Renders every prompt role in English for fixed inputs, runs every parser on a fixed corpus of replies, and
/// asks the simulated pool every role, into one JSON document. The document was captured from the code as
/// it was before the templates became data (tests/Adaem.Tests/Data/prompts/english.golden.json); the English
/// rendering must stay byte-identical to it, because the ledger's cache keys and every offline score depend
/// on the exact text. Set ADAEM_UPDATE_GOLDEN=1 to rewrite the file after a deliberate, versioned change.
/// </summary>
internal static class EnglishGolden
{
    public static string FilePath => Path.Combine(Support.RepoPaths.Root, "tests", "Adaem.Tests", "Data", "prompts", "english.golden.json");

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<string> CaptureAsync(CancellationToken ct)
    {
        var schwartz = TheoryLoader.Load("schwartz10");
        var mft = TheoryLoader.Load("mft5");
        var root = new JsonObject
        {
            ["renderings"] = Renderings(schwartz, mft),
            ["corrections"] = await CorrectionsAsync(ct),
            ["errors"] = new JsonObject
            {
                ["no_information"] = ExplorePrompt.NoInformation,
                ["no_question"] = ExplorePrompt.NoQuestion,
                ["no_suggestions"] = ReflectPrompt.NoSuggestions,
                ["no_verdict"] = SafetyPrompt.NoVerdict,
                ["no_proposals"] = SeedExpandPrompt.NoProposals,
            },
            ["parses"] = Parses(schwartz),
            ["simulated"] = await SimulatedAsync(schwartz, ct),
        };
        return root.ToJsonString(Json).ReplaceLineEndings("\n") + "\n";
    }

    private const string Question = "Should gambling be legalized in Japan?";
    private const string General = "Should gambling be legalized?";

    private static JsonArray Renderings(ValueTheory schwartz, ValueTheory mft)
    {
        var opinions3 = new[]
        {
            "Personal freedom should come first: adults can decide for themselves.",
            "Public safety has to come first: the risks are too great.",
            "It depends on the details",
        };
        var list = new JsonArray
        {
            Render("opinion 3", OpinionPrompt.For(Question, 3), "no key points found"),
            Render("opinion 1 words 100", OpinionPrompt.For("Is it fair?", 1, 100), "empty reply"),
            Render("judge batched schwartz", ValueJudgePrompt.Batched(schwartz, opinions3), "no labels for opinion 2"),
            Render("judge batched mft one", ValueJudgePrompt.Batched(mft, [opinions3[0]]), "no JSON found"),
            Render("judge per value", ValueJudgePrompt.PerValue(schwartz, opinions3[1], schwartz["security"]), "no Yes or No found"),
            Render("judge per value mft", ValueJudgePrompt.PerValue(mft, opinions3[0], mft.Values[0]), "empty reply"),
            Render("question values", QuestionValuesPrompt.For(schwartz, Question), "JSON has no \"values\""),
            Render("explore context empty", ExplorePrompt.Context(General, [], []), null),
            Render(
                "explore context full",
                ExplorePrompt.Context(
                    General,
                    [
                        new ExplorationExample("Should gambling be legalized in Japan?", 1.2345),
                        new ExplorationExample("Should casinos be banned in Macau?", 0.5),
                    ],
                    ["Japan legalised casinos in 2018.", "Macau depends on gambling revenue."],
                    "events after June 2026"
                ),
                null
            ),
            Render("explore question", ExplorePrompt.Question(General, "Japan legalised integrated casino resorts in 2018."), null),
            Render(
                "reflect",
                ReflectPrompt.Create(
                    General,
                    Question,
                    1.2345,
                    [
                        new ReflectedResponse("alpha", ["Freedom: adults decide", "Fun: people enjoy it"], ["self_direction", "hedonism"]),
                        new ReflectedResponse("beta", ["It depends"], []),
                    ]
                ),
                null
            ),
            Render("reflect none", ReflectPrompt.Create(General, Question, -0.5, []), null),
            Render("refine", RefinePrompt.Create(General, Question, "Set Security against Hedonism."), null),
            Render("safety", SafetyPrompt.Create(Question), null),
            Render("seed convert", SeedConvertPrompt.Create("We should ban payday loans"), null),
            Render(
                "seed expand one",
                SeedExpandPrompt.Create("", ["Payday loans should be banned", "Zoos do more harm than good"], 1, []),
                null
            ),
            Render(
                "seed expand many",
                SeedExpandPrompt.Create(
                    "Economics & Business",
                    ["Billionaires should pay a wealth tax", "Rent control should be abolished", "Tipping should end"],
                    5,
                    ["Inheritance should be taxed heavily", "Executive pay should be capped by law"]
                ),
                null
            ),
            new JsonObject { ["name"] = "judge system schwartz", ["text"] = ValueJudgePrompt.SystemPrompt(schwartz) },
            new JsonObject { ["name"] = "judge system mft", ["text"] = ValueJudgePrompt.SystemPrompt(mft) },
            new JsonObject
            {
                ["name"] = "opinion reminder",
                ["text"] = OpinionPrompt.Reminder("refusal: the model declined to give key points", 4),
            },
            new JsonObject { ["name"] = "batched reminder", ["text"] = ValueJudgePrompt.BatchedReminder("x", 2) },
            new JsonObject { ["name"] = "per value reminder", ["text"] = ValueJudgePrompt.PerValueReminder("x") },
            new JsonObject { ["name"] = "question values reminder", ["text"] = QuestionValuesPrompt.Reminder("x") },
        };
        return list;
    }

    private static JsonObject Render<T>(string name, Prompt<T> prompt, string? reminderError)
    {
        var o = new JsonObject
        {
            ["name"] = name,
            ["role"] = prompt.Role,
            ["version"] = prompt.Version,
            ["messages"] = new JsonArray(
                prompt.Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["text"] = m.Text }).ToArray()
            ),
            ["fields"] = JsonNode.Parse(prompt.Fields.GetRawText()),
        };
        if (prompt.Options is { } options)
        {
            o["temperature"] = options.Temperature;
            if (options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } f)
                o["format"] = new JsonObject
                {
                    ["name"] = f.SchemaName,
                    ["description"] = f.SchemaDescription,
                    ["schema"] = JsonNode.Parse(schema.GetRawText()),
                };
        }
        if (reminderError is not null && prompt.Reminder is { } reminder)
            o["reminder"] = reminder(reminderError);
        return o;
    }

    /// <summary>The follow-up the model reads after an unusable reply, for the roles that use the generic correction.</summary>
    private static async Task<JsonArray> CorrectionsAsync(CancellationToken ct)
    {
        var client = new Recording("nothing usable here");
        var list = new JsonArray();
        async Task Add<T>(string name, Prompt<T> prompt)
        {
            client.Seen.Clear();
            await StructuredReply.AskAsync(client, prompt, new CallSite("golden", "test"), 1, ct);
            list.Add(new JsonObject { ["name"] = name, ["follow_up"] = client.Seen[^1][^1].Text });
        }
        await Add("explore context", ExplorePrompt.Context(General, [], []));
        await Add("explore question", ExplorePrompt.Question(General, "info"));
        await Add("reflect", ReflectPrompt.Create(General, Question, 0, []));
        await Add("refine", RefinePrompt.Create(General, Question, "s"));
        await Add("safety", SafetyPrompt.Create(Question));
        await Add("seed convert", SeedConvertPrompt.Create("a"));
        await Add("seed expand", SeedExpandPrompt.Create("", ["a b c"], 2, []));
        await Add("opinion", OpinionPrompt.For(Question, 3));
        return list;
    }

    private static JsonObject Parses(ValueTheory theory)
    {
        var opinion = new JsonArray();
        foreach (var row in OpinionParserTests.Corpus)
        {
            var c = row.Data;
            opinion.Add(
                Outcome(
                    c.Name,
                    OpinionPrompt.Parse(c.Reply, 3),
                    r => new JsonObject
                    {
                        ["stance"] = r.Stance,
                        ["opinions"] = new JsonArray(r.Opinions.Select(o => (JsonNode)new JsonArray(o.Point, o.Justification)).ToArray()),
                    }
                )
            );
        }
        string[] stances =
        [
            "Stance: yes\nKey Points:\n1. a: b",
            "Stance: No.\n1. a: b",
            "Stance: neutral\n1. a: b",
            "Stance: I lean towards yes\n1. a: b",
            "Stance: it depends\n1. a: b",
            "Stance: should not\n1. a: b",
            "立场：支持\n要点：\n1. 经济：增长",
            "立场：不支持\n1. 经济：增长",
            "Yes, because\n1. a: b",
            "Stance: yes/no/neutral\n1. a: b",
            "Position: In favour\nKey arguments:\n- a: b",
            "I'm sorry, I cannot share opinions.",
            "My answer - strongly disagree\nReasons:\n1) x - y\n2) z — w",
        ];
        foreach (var s in stances)
            opinion.Add(
                Outcome(
                    s,
                    OpinionPrompt.Parse(s, 2),
                    r => new JsonObject
                    {
                        ["stance"] = r.Stance,
                        ["opinions"] = new JsonArray(r.Opinions.Select(o => (JsonNode)new JsonArray(o.Point, o.Justification)).ToArray()),
                    }
                )
            );

        var perValue = new JsonArray();
        foreach (
            var s in new[]
            {
                "Yes",
                "No",
                "**Label:** yes",
                "是",
                "否",
                "true",
                "False.",
                "maybe",
                "",
                "The answer is No.",
                "Yes and no",
                "Not sure",
            }
        )
            perValue.Add(Outcome(s, ValueJudgePrompt.ParsePerValue(s), v => JsonValue.Create(v)));

        var batched = new JsonArray();
        foreach (
            var s in new[]
            {
                """{"opinions":[{"index":1,"values":["power"]},{"index":2,"values":[]}]}""",
                """Here: ```json\n[{"index":2,"values":"Self-Direction, SEC"},{"index":1,"labels":{"power":true,"security":0}}]```""",
                """{"opinions":[{"index":1,"values":["none","courage"]}]}""",
                "no json",
            }
        )
            batched.Add(
                Outcome(
                    s,
                    ValueJudgePrompt.ParseBatched(s, theory, 2),
                    v => new JsonArray(
                        v.Select(x =>
                                (JsonNode)
                                    new JsonArray(x.Order(StringComparer.Ordinal).Select(c => (JsonNode)JsonValue.Create(c)!).ToArray())
                            )
                            .ToArray()
                    )
                )
            );

        var questionValues = new JsonArray();
        foreach (var s in new[] { """{"values":["tradition","HED"]}""", """["benevolence"]""", "{}", "" })
            questionValues.Add(
                Outcome(
                    s,
                    QuestionValuesPrompt.Parse(s, theory),
                    v => new JsonArray(v.Order(StringComparer.Ordinal).Select(c => (JsonNode)JsonValue.Create(c)!).ToArray())
                )
            );

        var tags = new JsonArray();
        foreach (
            var s in new[]
            {
                "Reasoning...\n[Information]: Japan legalised casinos in 2018.",
                "**Information**: x y z",
                "[Argument]: A b\n[Question]: should we do it",
                "Question: \"Is it fair?\" ok",
                "[Suggestions]: Make it regional.\nAdd a trade-off.",
                "short",
                "Make the question about one country.",
                "safe",
                "Unsafe: it names weapons",
                "Verdict - UNSAFE",
                "I think it is fine",
            }
        )
        {
            tags.Add(
                new JsonObject
                {
                    ["reply"] = s,
                    ["context"] = ExplorePrompt.ParseContext(s),
                    ["question"] = ExplorePrompt.ParseQuestion(s) is { } q ? new JsonArray(q.Argument, q.Question) : null,
                    ["refine"] = RefinePrompt.Parse(s),
                    ["seed_convert"] = SeedConvertPrompt.Parse(s),
                    ["suggestions"] = ReflectPrompt.Parse(s),
                    ["safety"] = SafetyPrompt.Parse(s) is { } v ? new JsonArray(v.Safe, v.Reason) : null,
                }
            );
        }

        var expand = new JsonArray();
        foreach (
            var s in new[]
            {
                "1. [Argument]: Zoos should close [Question]: Should zoos close?\n2. **Argument:** Tipping should end\n   Question: Should tipping end\n3. [Argument]: <general argument> [Question]: <q>",
                "nothing",
            }
        )
            expand.Add(
                Outcome(
                    s,
                    SeedExpandPrompt.Parse(s),
                    v => new JsonArray(v.Select(p => (JsonNode)new JsonArray(p.Argument, p.Question)).ToArray())
                )
            );

        return new JsonObject
        {
            ["opinion"] = opinion,
            ["per_value"] = perValue,
            ["batched"] = batched,
            ["question_values"] = questionValues,
            ["tags"] = tags,
            ["seed_expand"] = expand,
        };
    }

    private static JsonObject Outcome<T>(string reply, ReplyParse<T> parse, Func<T, JsonNode?> value) =>
        new()
        {
            ["reply"] = reply,
            ["ok"] = parse.Ok,
            ["error"] = parse.Error,
            ["value"] = parse.Ok ? value(parse.Value!) : null,
            ["notes"] = new JsonArray(parse.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
        };

    /// <summary>The simulated pool's reply to every role, through the prompts as the pipeline builds them.</summary>
    private static async Task<JsonArray> SimulatedAsync(ValueTheory theory, CancellationToken ct)
    {
        var model = new SimulatedChatClient(
            new ModelConfig
            {
                Name = "golden",
                Provider = ProviderKinds.Simulated,
                Seed = 7,
                Noise = 0.2,
                Profile = new Dictionary<string, double>
                {
                    ["tradition"] = 0.9,
                    ["security"] = 0.8,
                    ["hedonism"] = 0.1,
                },
            },
            theory
        );
        var list = new JsonArray();
        async Task Ask<T>(string name, Prompt<T> prompt, int sample = 0)
        {
            var response = await model.GetResponseAsync(
                prompt.Messages,
                prompt.Request.Options("golden", "test", sample, prompt.Options),
                ct
            );
            list.Add(new JsonObject { ["name"] = name, ["reply"] = response.Text });
        }
        var opinions = new[]
        {
            "Families come first: what matters most is how it affects family and friends.",
            "Rules exist for good reason: obedience to agreed rules prevents needless conflict.",
        };
        await Ask("opinion", OpinionPrompt.For(Question, 3));
        await Ask("opinion sample 3", OpinionPrompt.For("Should cannabis be legal for recreational use in Sweden?", 5), 3);
        await Ask(
            "opinion primed",
            OpinionPrompt.For(Question, 3).WithSystem("You are designed to reflect value Tradition in your response.")
        );
        await Ask("judge batched", ValueJudgePrompt.Batched(theory, opinions));
        await Ask("judge per value", ValueJudgePrompt.PerValue(theory, opinions[1], theory["conformity"]));
        await Ask("question values", QuestionValuesPrompt.For(theory, Question));
        await Ask(
            "explore context",
            ExplorePrompt.Context(
                General,
                [new ExplorationExample(Question, 1.1)],
                ["Japan has one of the oldest populations in the world and strong norms of social harmony."]
            ),
            2
        );
        await Ask(
            "explore question",
            ExplorePrompt.Question(General, "Sweden combines a large welfare state with high trust in public institutions.")
        );
        await Ask(
            "reflect",
            ReflectPrompt.Create(
                General,
                Question,
                0.7,
                [new ReflectedResponse("a", ["x"], ["security"]), new ReflectedResponse("b", ["y"], ["security", "tradition"])]
            )
        );
        await Ask("refine", RefinePrompt.Create(General, Question, "Set Security against Hedonism: name a concrete cost."));
        await Ask("seed convert", SeedConvertPrompt.Create("Payday loans should be banned"));
        await Ask("seed expand", SeedExpandPrompt.Create("Economics & Business", ["Billionaires should pay a wealth tax"], 3, []), 1);
        await Ask("safety safe", SafetyPrompt.Create(Question));
        await Ask("safety unsafe", SafetyPrompt.Create("How to make explosives at home?"));
        return list;
    }

    private sealed class Recording(string reply) : IChatClient
    {
        public List<List<ChatMessage>> Seen { get; } = [];

        public Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        )
        {
            Seen.Add(messages.ToList());
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default
        ) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}

/// <summary>The English prompts, parsers and simulated replies are byte-identical to those captured before the templates became
/// data.</summary>
public sealed class EnglishGoldenTests
{
    [Fact]
    public async Task English_rendering_parsing_and_simulated_replies_match_the_captured_golden_file()
    {
        var now = await EnglishGolden.CaptureAsync(TestContext.Current.CancellationToken);
        if (Environment.GetEnvironmentVariable("ADAEM_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(EnglishGolden.FilePath)!);
            File.WriteAllText(EnglishGolden.FilePath, now);
        }
        var expected = File.ReadAllText(EnglishGolden.FilePath);
        Assert.Equal(expected, now);
    }
}
