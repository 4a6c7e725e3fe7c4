using System.Text.RegularExpressions;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts.Languages;

/// <summary>One role of <c>adaem validate prompts</c>: whether its prompt rendered, whether its parser read the replies, and what
/// failed.</summary>
/// <param name="Replies">How many replies the parser read (the simulated pool's and the examples').</param>
public sealed record PromptCheckRow(string Role, bool Rendered, bool Parsed, int Replies, IReadOnlyList<string> Problems);

/// <summary>The check of one language: a row per role.</summary>
public sealed record PromptCheckResult(
    PromptLanguage Language,
    string Theory,
    IReadOnlyList<PromptCheckRow> Rows,
    IReadOnlyList<string> Notes
)
{
    public bool Ok => Rows.All(r => r.Rendered && r.Parsed);
}

/// <summary>
/// <c>adaem validate prompts --language xx</c>: renders every prompt role of a language with example inputs
/// (taken from the language's own examples, so the prompt reads as it would in a run), and runs each role's
/// parser on the replies a model gives to those prompts (the simulated pool, when given) and on the
/// hand-written example replies of the language's examples.yaml. A rendering fails when a template left a
/// placeholder unfilled or lost an input; a parse fails when a reply that should be read is not, or is read
/// differently from what the example says.
/// </summary>
public static partial class PromptCheck
{
    private const string Run = "validate-prompts";
    private const string Stage = "validate";

    public static async Task<PromptCheckResult> RunAsync(
        PromptLanguage language,
        ValueTheory theory,
        IChatClient? model,
        CancellationToken cancellationToken
    )
    {
        var judgeTheory = TheoryLanguage.For(theory, language);
        // The examples' labels are codes of schwartz10 (see examples.yaml), whatever theory the prompts list.
        var exampleTheory = TheoryLanguage.For(TheoryLoader.Load("schwartz10"), language);
        var inputs = Inputs.From(language);
        var rows = new List<PromptCheckRow>();
        var examples = language.Examples.ToLookup(e => e.Role);

        async Task<T?> Check<T>(
            string role,
            Func<Prompt<T>> build,
            IReadOnlyList<string> mustContain,
            Func<ExampleReply, ReplyParse<T>> parseExample,
            Func<ExampleReply, ReplyParse<T>, string?> compare
        )
        {
            var problems = new List<string>();
            Prompt<T>? prompt = null;
            try
            {
                prompt = build();
                var text = string.Join("\n", prompt.Messages.Select(m => m.Text));
                if (prompt.Messages.Any(m => string.IsNullOrWhiteSpace(m.Text)))
                    problems.Add("a message is empty");
                foreach (var left in Placeholder().Matches(text).Select(m => m.Value).Where(IsSpecPlaceholder).Distinct())
                    problems.Add($"the rendering still holds {left}");
                foreach (var input in mustContain.Where(i => !text.Contains(i, StringComparison.Ordinal)))
                    problems.Add($"the rendering lost its input \"{Short(input)}\"");
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                problems.Add($"rendering failed: {e.Message}");
            }
            var rendered = problems.Count == 0;
            var parseProblems = new List<string>();
            var replies = 0;
            T? value = default;
            if (prompt is not null && model is not null)
            {
                var response = await model
                    .GetResponseAsync(prompt.Messages, prompt.Request.Options(Run, Stage, 0, prompt.Options), cancellationToken)
                    .ConfigureAwait(false);
                var parse = prompt.Parse(response.Text ?? "");
                replies++;
                if (parse.Ok)
                    value = parse.Value;
                else
                    parseProblems.Add($"the model's reply was not read ({parse.Error}): \"{Short(response.Text ?? "")}\"");
            }
            foreach (var example in examples[role])
            {
                replies++;
                var parse = parseExample(example);
                if (example.Fails)
                {
                    if (parse.Ok)
                        parseProblems.Add($"example at line {example.Line} should be refused but was read");
                    continue;
                }
                if (!parse.Ok)
                    parseProblems.Add($"example at line {example.Line} was not read ({parse.Error})");
                else if (compare(example, parse) is { } difference)
                    parseProblems.Add($"example at line {example.Line}: {difference}");
            }
            if (replies == 0)
                parseProblems.Add("no reply to read: add examples to examples.yaml");
            rows.Add(new PromptCheckRow(role, rendered, parseProblems.Count == 0, replies, [.. problems, .. parseProblems]));
            return value;
        }

        static string? Same(string? expected, string? actual, string what) =>
            expected is null || string.Equals(expected, actual, StringComparison.Ordinal)
                ? null
                : $"{what} read as \"{actual}\", expected \"{expected}\"";

        var answer = await Check(
                PromptRoles.Opinion,
                () => OpinionPrompt.For(inputs.Question, 3, language: language),
                [inputs.Question],
                e => OpinionPrompt.Parse(e.Reply, e.Count ?? 3, language),
                (e, p) =>
                    Same(e.Expect, p.Value!.Stance, "stance")
                    ?? (
                        e.Count is { } n && p.Value!.Opinions.Count != n ? $"{p.Value!.Opinions.Count} key points read, expected {n}" : null
                    )
            )
            .ConfigureAwait(false);
        var opinions = answer?.Opinions.Select(o => o.Text).ToList() is { Count: > 0 } read ? read : inputs.Opinions;

        await Check(
                PromptRoles.JudgeBatched,
                () => ValueJudgePrompt.Batched(judgeTheory, opinions, language),
                [opinions[0], judgeTheory.Values[0].Definition],
                e => ValueJudgePrompt.ParseBatched(e.Reply, exampleTheory, e.Count ?? 1, language),
                (e, p) => e.Labels is { } labels ? SameLabels(labels, p.Value!) : null
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.JudgeValue,
                () => ValueJudgePrompt.PerValue(judgeTheory, opinions[0], judgeTheory.Values[0], language),
                [opinions[0], judgeTheory.Values[0].Name],
                e => ValueJudgePrompt.ParsePerValue(e.Reply, language),
                (e, p) => Same(e.Expect, p.Value ? "yes" : "no", "answer")
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.JudgeQuestion,
                () => QuestionValuesPrompt.For(judgeTheory, inputs.Question, language),
                [inputs.Question],
                e => QuestionValuesPrompt.Parse(e.Reply, exampleTheory, language),
                (e, p) => e.Labels is { Count: > 0 } labels ? SameLabels([labels[0]], [p.Value!]) : null
            )
            .ConfigureAwait(false);
        var information = await Check(
                PromptRoles.ExploreContext,
                () =>
                    ExplorePrompt.Context(
                        inputs.General,
                        [new ExplorationExample(inputs.Question, 1.25)],
                        [inputs.Information],
                        "2020–2026",
                        language
                    ),
                [inputs.General, inputs.Question, inputs.Information, "2020–2026"],
                e => Require(ExplorePrompt.ParseContext(e.Reply, language)),
                (e, p) => Same(e.Expect, p.Value, "context")
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.ExploreQuestion,
                () => ExplorePrompt.Question(inputs.General, information ?? inputs.Information, language),
                [inputs.General],
                e =>
                    Require(
                        ExplorePrompt.ParseQuestion(e.Reply, language) is { } q ? new ExploredQuestion("", q.Argument, q.Question) : null
                    ),
                (e, p) => Same(e.Expect, p.Value!.Question, "question")
            )
            .ConfigureAwait(false);
        var suggestions = await Check(
                PromptRoles.Reflect,
                () =>
                    ReflectPrompt.Create(
                        inputs.General,
                        inputs.Question,
                        0.75,
                        [
                            new ReflectedResponse("a", opinions, [judgeTheory.Values[0].Code]),
                            new ReflectedResponse("b", opinions.Take(1).ToList(), []),
                        ],
                        language
                    ),
                [inputs.General, inputs.Question, opinions[0]],
                e => Require(ReflectPrompt.Parse(e.Reply, language)),
                (e, p) => Same(e.Expect, p.Value, "suggestions")
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.Refine,
                () => RefinePrompt.Create(inputs.General, inputs.Question, suggestions ?? inputs.Information, language),
                [inputs.General, inputs.Question],
                e => Require(RefinePrompt.Parse(e.Reply, language)),
                (e, p) => Same(e.Expect, p.Value, "question")
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.Safety,
                () => SafetyPrompt.Create(inputs.Question, language),
                [inputs.Question],
                e => Require(SafetyPrompt.Parse(e.Reply, language)),
                (e, p) => Same(e.Expect, p.Value!.Safe ? "safe" : "unsafe", "verdict")
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.SeedConvert,
                () => SeedConvertPrompt.Create(inputs.Argument, language),
                [inputs.Argument],
                e => Require(SeedConvertPrompt.Parse(e.Reply, language)),
                (e, p) => Same(e.Expect, p.Value, "question")
            )
            .ConfigureAwait(false);
        await Check(
                PromptRoles.SeedExpand,
                () => SeedExpandPrompt.Create("", [inputs.Argument], 2, [inputs.General], language),
                [inputs.Argument, inputs.General],
                e => SeedExpandPrompt.Parse(e.Reply, language),
                (e, p) => e.Count is { } n && p.Value!.Count != n ? $"{p.Value!.Count} proposals read, expected {n}" : null
            )
            .ConfigureAwait(false);

        // A translation into this language, from the source of its own examples (English, or Spanish for English itself).
        var from = PromptLanguages.Get(
            language.Code.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "es" : PromptLanguages.DefaultCode
        );
        var source =
            language.Examples.FirstOrDefault(e => e.Role == PromptRoles.Translate && e.Source is { Length: > 0 })?.Source
            ?? (from.IsBuiltInEnglish ? "Should gambling be legalized in Japan?" : "¿Debería legalizarse el juego en Japón?");
        await Check(
                PromptRoles.Translate,
                () => TranslatePrompt.Create(source, from, language),
                [source],
                e => TranslatePrompt.Parse(e.Reply, e.Source ?? source, language),
                (e, p) => Same(e.Expect, p.Value, "translation")
            )
            .ConfigureAwait(false);

        return new PromptCheckResult(language, theory.Code, rows, TheoryLanguage.Notes(theory, language, "prompts check"));
    }

    private static ReplyParse<T> Require<T>(T? value) => value is null ? ReplyParse<T>.Failure("not read") : ReplyParse<T>.Success(value);

    private static string? SameLabels(IReadOnlyList<IReadOnlyList<string>> expected, IReadOnlyList<IReadOnlySet<string>> actual)
    {
        if (expected.Count != actual.Count)
            return $"{actual.Count} opinions labelled, expected {expected.Count}";
        for (var i = 0; i < expected.Count; i++)
        {
            if (!actual[i].SetEquals(expected[i]))
                return $"opinion {i + 1} labelled [{string.Join(", ", actual[i].Order(StringComparer.Ordinal))}], expected [{string.Join(", ", expected[i])}]";
        }
        return null;
    }

    private static bool IsSpecPlaceholder(string braced) => TemplateSpec.Pieces.Any(p => p.Placeholders.Contains(braced[1..^1]));

    private static string Short(string s)
    {
        var t = s.ReplaceLineEndings(" ");
        return t.Length <= 60 ? t : t[..60] + "...";
    }

    [GeneratedRegex(@"\{[a-z_]+\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>Example inputs in the language, taken from its example replies (English ones where it has none).</summary>
    private sealed record Inputs(string Question, string General, string Information, string Argument, IReadOnlyList<string> Opinions)
    {
        public static Inputs From(PromptLanguage language)
        {
            string? Expect(string role) =>
                language.Examples.FirstOrDefault(e => e.Role == role && !e.Fails && e.Expect is { Length: > 0 })?.Expect;
            var opinions = language
                .Examples.Where(e => e.Role == PromptRoles.Opinion && !e.Fails)
                .Select(e => OpinionPrompt.Parse(e.Reply, e.Count ?? 3, language))
                .FirstOrDefault(p => p.Ok)
                ?.Value!.Opinions.Select(o => o.Text)
                .ToList();
            return new Inputs(
                Expect(PromptRoles.ExploreQuestion) ?? "Should Japan allow casino resorts near its cities?",
                Expect(PromptRoles.SeedConvert) ?? "Should gambling be legalized?",
                Expect(PromptRoles.ExploreContext) ?? "Japan legalised integrated casino resorts in 2018.",
                language
                    .Examples.Where(e => e.Role == PromptRoles.SeedExpand)
                    .Select(e => SeedExpandPrompt.Parse(e.Reply, language))
                    .FirstOrDefault(p => p.Ok)
                    ?.Value![0]
                    .Argument
                    ?? "Zoos should be closed",
                opinions is { Count: > 0 }
                    ? opinions
                    :
                    [
                        "Personal freedom: adults should decide for themselves.",
                        "Consumer protection: licensed operators follow fair rules.",
                    ]
            );
        }
    }
}
