using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Adaem.Core.Configuration;
using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using YamlDotNet.RepresentationModel;

namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// Reads a language's three files into a <see cref="PromptLanguage"/>, checking them as the config is
/// checked: every problem names the file, the line and the fix (a missing template, a placeholder the
/// role does not have or a required one dropped, a pattern that is not a valid expression or lacks its group).
/// </summary>
internal static partial class LanguageLoader
{
    public const string LanguageFile = "language.yaml";
    public const string TemplatesFile = "templates.yaml";
    public const string ExamplesFile = "examples.yaml";

    /// <summary>One file's text and the name messages use for it.</summary>
    public sealed record FileText(string Name, string Text);

    private static readonly string[] Roles =
    [
        PromptRoles.Opinion,
        PromptRoles.JudgeBatched,
        PromptRoles.JudgeValue,
        PromptRoles.JudgeQuestion,
        PromptRoles.ExploreContext,
        PromptRoles.ExploreQuestion,
        PromptRoles.Reflect,
        PromptRoles.Refine,
        PromptRoles.Safety,
        PromptRoles.SeedConvert,
        PromptRoles.SeedExpand,
        PromptRoles.Translate,
    ];

    public static PromptLanguage Load(FileText language, FileText templates, FileText examples, string source, bool builtInEnglish = false)
    {
        var problems = new List<InputProblem>();
        var langRoot = Root(language, problems);
        var templRoot = Root(templates, problems);
        var examplesRoot = Root(examples, problems);
        if (langRoot is null || templRoot is null || examplesRoot is null)
            throw new InputException(problems);

        var lang = new YamlSection(langRoot, language.Name, "", problems);
        lang.RejectUnknown([
            "code",
            "name",
            "native_name",
            "direction",
            "question",
            "stance",
            "patterns",
            "judge",
            "safety",
            "tags",
            "none_labels",
        ]);
        var code = lang.RequiredString("code", "write the language's BCP-47 tag, e.g. 'code: de'");
        if (code.Length > 0 && !Bcp47().IsMatch(code))
            lang.Problem(lang.LineOf("code"), $"'{code}' is not a BCP-47 language tag", "write a tag such as de, pt-BR or zh-Hant");
        var name = lang.RequiredString("name", "write the language's name in English, e.g. 'name: German'");
        var native = lang.String("native_name") ?? name;
        var direction = lang.String("direction") ?? "ltr";
        if (direction is not ("ltr" or "rtl"))
            lang.Problem(
                lang.LineOf("direction"),
                $"direction '{direction}' is unknown",
                "write ltr (left to right) or rtl (right to left)"
            );

        var parsing = ReadParsing(lang, code);
        var texts = ReadTemplates(new YamlSection(templRoot, templates.Name, "", problems), problems);
        var exampleList = ReadExamples(new YamlSection(examplesRoot, examples.Name, "", problems), problems);
        if (problems.Count > 0)
            throw new InputException(problems);

        return new PromptLanguage
        {
            Code = code,
            Name = name,
            NativeName = native,
            RightToLeft = direction == "rtl",
            Source = source,
            Templates = new LanguageTemplates(texts),
            Parsing = parsing!,
            Examples = exampleList,
            IsBuiltInEnglish = builtInEnglish,
            TemplatesHash = Fingerprint(templRoot),
            ParsingHash = Fingerprint(langRoot),
        };
    }

    private static YamlMappingNode? Root(FileText file, List<InputProblem> problems)
    {
        try
        {
            return YamlFile.LoadMapping(file.Text, file.Name);
        }
        catch (InputException e)
        {
            problems.AddRange(e.Problems);
            return null;
        }
    }

    // ---- templates.yaml ----------------------------------------------------------------------------

    private static Dictionary<string, string> ReadTemplates(YamlSection root, List<InputProblem> problems)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = TemplateSpec.Pieces.Select(p => p.Key.Split('.')).Where(k => k.Length == 2).Select(k => k[0]).Distinct().ToList();
        var topLevel = TemplateSpec.Pieces.Select(p => p.Key).Where(k => !k.Contains('.', StringComparison.Ordinal)).ToList();
        root.RejectUnknown([.. groups, .. topLevel]);
        foreach (var key in topLevel)
            Read(root, key, key);
        foreach (var group in groups)
        {
            var section = root.Section(group);
            var pieces = TemplateSpec
                .Pieces.Where(p => p.Key.StartsWith(group + ".", StringComparison.Ordinal))
                .Select(p => p.Key[(group.Length + 1)..])
                .ToList();
            if (section is null)
            {
                if (!root.Has(group))
                    root.Problem(
                        root.Line,
                        $"the templates of '{group}' are missing",
                        $"add '{group}:' with {string.Join(", ", pieces)} (copy them from data/prompts/en/templates.yaml)"
                    );
                continue;
            }
            section.RejectUnknown(pieces);
            foreach (var piece in pieces)
                Read(section, piece, $"{group}.{piece}");
        }
        return texts;

        void Read(YamlSection section, string key, string full)
        {
            var spec = TemplateSpec.ByKey[full];
            var text = section.String(key);
            if (text is null)
            {
                if (!section.Has(key))
                    section.Problem(
                        section.Line,
                        $"template '{full}' is missing",
                        "add it (copy it from data/prompts/en/templates.yaml and translate it)"
                    );
                return;
            }
            var line = section.LineOf(key);
            var used = LanguageTemplates.PlaceholdersOf(text);
            foreach (var unknown in used.Where(u => !spec.Placeholders.Contains(u)))
            {
                section.Problem(
                    line,
                    $"template '{full}' uses {{{unknown}}}, which this template does not have",
                    spec.Placeholders.Count == 0
                        ? "this template has no placeholders; remove it"
                        : $"use only {string.Join(", ", spec.Placeholders.Select(p => "{" + p + "}"))}"
                );
            }
            foreach (var missing in spec.Required.Where(r => !used.Contains(r)))
                section.Problem(
                    line,
                    $"template '{full}' must contain {{{missing}}}",
                    "keep every placeholder of the English template that carries an input"
                );
            if (text.Trim().Length == 0 && !full.EndsWith("separator", StringComparison.Ordinal))
                section.Problem(line, $"template '{full}' is empty", "write its text");
            texts[full] = text;
        }
    }

    // ---- language.yaml -----------------------------------------------------------------------------

    private static ParserWords? ReadParsing(YamlSection lang, string code)
    {
        var q = lang.Section("question");
        QuestionStyle question = QuestionStyle.English;
        if (q is null)
            lang.Problem(lang.Line, "'question' is missing", "add question: { marks: \"?\", trim: \".!;:,\", count: words }");
        else
        {
            q.RejectUnknown(["marks", "trim", "count"]);
            var marks = q.RequiredString("marks", "write the characters that end a question, e.g. marks: \"?\"");
            var count = q.String("count") ?? "words";
            if (count is not ("words" or "characters"))
                q.Problem(
                    q.LineOf("count"),
                    $"count '{count}' is unknown",
                    "write words (split at spaces) or characters (two letters count as a word)"
                );
            question = new QuestionStyle(marks, q.String("trim") ?? "", count == "characters");
        }

        var stance = ReadStance(lang.Section("stance"), lang);
        var patterns = lang.Section("patterns");
        Regex? Pattern(YamlSection? s, string key, string[] groups, bool singleline = false)
        {
            if (s is null)
                return null;
            var text = s.RequiredString(key, $"write the regular expression '{key}' (see data/prompts/en/language.yaml)");
            if (text.Length == 0)
                return null;
            try
            {
                var regex = ParserWords.Compile(text, singleline);
                foreach (var g in groups.Where(g => !regex.GetGroupNames().Contains(g)))
                    s.Problem(s.LineOf(key), $"'{s.Qualified(key)}' has no group named '{g}'", $"mark the part to read with (?<{g}>...)");
                return regex;
            }
            catch (ArgumentException e)
            {
                s.Problem(
                    s.LineOf(key),
                    $"'{s.Qualified(key)}' is not a valid regular expression: {e.Message}",
                    "fix the expression (.NET syntax)"
                );
                return null;
            }
        }
        if (patterns is null)
            lang.Problem(
                lang.Line,
                "'patterns' is missing",
                "copy the patterns section of data/prompts/en/language.yaml and translate its words"
            );
        else
            patterns.RejectUnknown(["stance_line", "key_points_heading", "item_start", "justification_label", "refusal"]);
        var stanceLine = Pattern(patterns, "stance_line", ["value"]);
        var heading = Pattern(patterns, "key_points_heading", []);
        var item = Pattern(patterns, "item_start", ["num", "text"]);
        var justification = Pattern(patterns, "justification_label", []);
        var refusal = Pattern(patterns, "refusal", []);

        var judge = lang.Section("judge");
        if (judge is null)
            lang.Problem(lang.Line, "'judge' is missing", "add judge: { pattern: ..., yes: [...] }");
        else
            judge.RejectUnknown(["pattern", "yes"]);
        var judgeAnswer = Pattern(judge, "pattern", []);
        var judgeYes = Words(judge, "yes");

        var safety = lang.Section("safety");
        if (safety is null)
            lang.Problem(lang.Line, "'safety' is missing", "add safety: { pattern: ..., safe: [...] }");
        else
            safety.RejectUnknown(["pattern", "safe"]);
        var verdict = Pattern(safety, "pattern", ["v", "r"], singleline: true);
        var safe = Words(safety, "safe", lower: false);

        var tags = lang.Section("tags");
        ReplyTags replyTags = ReplyTags.English;
        if (tags is null)
            lang.Problem(
                lang.Line,
                "'tags' is missing",
                "add tags: { information: [...], question: [...], argument: [...], suggestions: [...] }"
            );
        else
        {
            tags.RejectUnknown(["information", "question", "argument", "suggestions"]);
            IReadOnlyList<string> Tag(string key, string english)
            {
                var list = Words(tags, key, lower: false);
                // Models often keep the English tag whatever the language; read it too.
                return list.Contains(english, StringComparer.OrdinalIgnoreCase) ? list : [.. list, english];
            }
            replyTags = new ReplyTags(
                Tag("information", "Information"),
                Tag("question", "Question"),
                Tag("argument", "Argument"),
                Tag("suggestions", "Suggestions")
            );
        }
        var none = lang.List("none_labels")?.Select(x => ReplyText.Fold(x.Value)).ToHashSet(StringComparer.Ordinal) ?? [];

        if (
            stance is null
            || stanceLine is null
            || heading is null
            || item is null
            || justification is null
            || refusal is null
            || judgeAnswer is null
            || verdict is null
        )
            return null;
        return new ParserWords
        {
            Stance = stance,
            Question = question,
            Tags = replyTags,
            StanceLine = stanceLine,
            KeyPointsHeading = heading,
            ItemStart = item,
            JustificationLabel = justification,
            Refusal = refusal,
            JudgeAnswer = judgeAnswer,
            JudgeYes = judgeYes.ToHashSet(StringComparer.Ordinal),
            SafetyVerdict = verdict,
            Safe = safe,
            NoneLabels = none,
        };
    }

    private static IReadOnlyList<string> Words(YamlSection? s, string key, bool lower = true)
    {
        if (s is null)
            return [];
        var list = s.List(key);
        if (list is null)
        {
            s.Problem(s.Line, $"'{s.Qualified(key)}' is missing", $"list the words, e.g. {key}: [...]");
            return [];
        }
        return list.Select(x => lower ? x.Value.ToLowerInvariant() : x.Value).ToList();
    }

    private static readonly string[] StanceNames = [Stances.Yes, Stances.No, Stances.Neutral];

    private static StanceWords? ReadStance(YamlSection? s, YamlSection lang)
    {
        if (s is null)
        {
            lang.Problem(
                lang.Line,
                "'stance' is missing",
                "copy the stance section of data/prompts/en/language.yaml and translate its words"
            );
            return null;
        }
        s.RejectUnknown(["contains", "starts", "echo", "prefixes", "skip", "words", "negations"]);
        IReadOnlyList<(string, IReadOnlyList<string>)> Groups(string key)
        {
            var g = s.Section(key);
            if (g is null)
                return [];
            var result = new List<(string, IReadOnlyList<string>)>();
            foreach (var (k, _) in g.Node.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                if (!StanceNames.Contains(name))
                {
                    g.Problem(k.Line(), $"'{g.Qualified(name)}' is not a stance", "use yes, no or neutral");
                    continue;
                }
                result.Add((name, Words(g, name)));
            }
            return result;
        }
        var words = new Dictionary<string, string>(StringComparer.Ordinal);
        var w = s.Section("words");
        if (w is null)
            s.Problem(s.Line, "'stance.words' is missing", "list the words for yes, no and neutral");
        else
        {
            w.RejectUnknown(StanceNames);
            foreach (var stance in StanceNames)
            {
                foreach (var word in Words(w, stance))
                {
                    if (!words.TryAdd(word, stance) && words[word] != stance)
                        w.Problem(w.LineOf(stance), $"'{word}' is listed under {words[word]} and {stance}", "keep it under one stance");
                }
            }
        }
        return new StanceWords
        {
            Contains = Groups("contains"),
            Starts = Groups("starts"),
            Echo = s.List("echo")?.Select(x => x.Value.ToLowerInvariant()).ToList() ?? [],
            Prefixes = Groups("prefixes"),
            Skip = (s.List("skip")?.Select(x => x.Value.ToLowerInvariant()) ?? []).ToHashSet(StringComparer.Ordinal),
            Words = words,
            Negations = (s.List("negations")?.Select(x => x.Value.ToLowerInvariant()) ?? []).ToHashSet(StringComparer.Ordinal),
        };
    }

    // ---- examples.yaml -----------------------------------------------------------------------------

    private static List<ExampleReply> ReadExamples(YamlSection root, List<InputProblem> problems)
    {
        root.RejectUnknown(Roles);
        var list = new List<ExampleReply>();
        foreach (var role in Roles)
        {
            if (root.Raw(role) is not { } node)
                continue;
            if (node is not YamlSequenceNode seq)
            {
                root.Problem(node.Line(), $"'{role}' must be a list of examples", "write each as '- reply: ...'");
                continue;
            }
            foreach (var item in seq.Children)
            {
                if (item is not YamlMappingNode m)
                {
                    root.Problem(item.Line(), "each example must be a mapping", "write '- reply: ...'");
                    continue;
                }
                var e = new YamlSection(m, root.File, role + "[]", problems);
                e.RejectUnknown(["reply", "fails", "expect", "count", "labels", "source"]);
                var reply = e.String("reply");
                if (reply is null)
                {
                    root.Problem(m.Line(), "an example has no 'reply'", "add reply: the text a model might send");
                    continue;
                }
                list.Add(
                    new ExampleReply(role, reply, m.Line())
                    {
                        Fails = e.Bool("fails") ?? false,
                        Expect = e.String("expect"),
                        Count = e.Int("count", 0),
                        Labels = Labels(e.Raw("labels")),
                        Source = e.String("source"),
                    }
                );
            }
        }
        return list;
    }

    private static IReadOnlyList<IReadOnlyList<string>>? Labels(YamlNode? node)
    {
        if (node is not YamlSequenceNode seq)
            return null;
        if (seq.Children.All(c => c is YamlScalarNode))
            return [seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList()];
        return seq
            .Children.Select(c =>
                (IReadOnlyList<string>)(
                    c is YamlSequenceNode s ? s.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? "").ToList() : []
                )
            )
            .ToList();
    }

    // ---- identity ----------------------------------------------------------------------------------

    /// <summary>SHA-256 of a file's content as YAML (keys, values and order; comments and layout aside).</summary>
    public static string Fingerprint(YamlNode root)
    {
        var sb = new StringBuilder();
        Write(root);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));

        void Write(YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode s:
                    var v = s.Value ?? "";
                    sb.Append('s').Append(v.Length).Append(':').Append(v);
                    break;
                case YamlSequenceNode q:
                    sb.Append('[');
                    foreach (var c in q.Children)
                        Write(c);
                    sb.Append(']');
                    break;
                case YamlMappingNode m:
                    sb.Append('{');
                    foreach (var (k, c) in m.Children)
                    {
                        Write(k);
                        Write(c);
                    }
                    sb.Append('}');
                    break;
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex Bcp47();
}
