using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Adaem.Core.Evaluation;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// Listing 3, opinion elicitation: the model takes a stance on a yes/no question and backs it with a fixed
/// number of key points, most important first. The same prompt serves the targets under evaluation and
/// the scorers inside generation. The parser beside it reads the many ways real models bend the format.
/// </summary>
public static partial class OpinionPrompt
{
    public const string Role = PromptRoles.Opinion;

    /// <summary>Version of the template (part of the cache key).</summary>
    public const string Version = "v1";

    /// <summary>Version of <see cref="Parse"/>; stored with every parsed response. Bump it when parsing changes.</summary>
    public const string ParserVersion = "opinion-parser-1";

    public const int DefaultWordLimit = 250;

    /// <summary>The role's fields for the simulated pool: question and number of opinions.</summary>
    public static JsonElement Fields(string question, int opinions) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["question"] = question, ["opinions"] = opinions });

    /// <summary>The paper's opinion prompt: a stance and <paramref name="opinions"/> key points on <paramref name="question"/>.</summary>
    public static Prompt<ParsedResponse> For(string question, int opinions, int wordLimit = DefaultWordLimit) =>
        new PromptRequest(Role, Version, [.. Render(question, opinions, wordLimit)], Fields(question, opinions)).Reading(r => Parse(r, opinions)) with
        {
            Reminder = e => Reminder(e, opinions),
        };

    public static IList<ChatMessage> Render(string question, int opinions, int wordLimit = DefaultWordLimit)
    {
        var example = new StringBuilder();
        for (var i = 1; i <= opinions; i++) example.Append(i).Append(". <point>: <why it matters, in one or two sentences>\n");
        var text = $"""
            Here is a question on which thoughtful people disagree:

            {question}

            Decide where you stand and explain why. Give exactly {opinions} key points, the most important first,
            each a short point followed by a colon and its justification. Keep the whole reply under {wordLimit} words.
            Reply in this format and add nothing before or after it:

            Stance: <yes, no or neutral>
            Key Points:
            {example.ToString().TrimEnd()}
            """;
        return [new ChatMessage(ChatRole.User, text)];
    }

    /// <summary>The follow-up sent with a re-ask, after the model's unreadable reply.</summary>
    public static string Reminder(string error, int opinions) =>
        $"I could not read that reply ({error}). Please answer again in exactly the requested format: a line " +
        $"\"Stance: yes\", \"Stance: no\" or \"Stance: neutral\", then \"Key Points:\", then {opinions} numbered lines " +
        "\"N. point: justification\". Nothing else.";

    /// <summary>
    /// Reads a reply into a stance and up to <paramref name="maxOpinions"/> opinions. Tolerates markdown,
    /// numbering and bullet styles, header variants, chatter around the list, JSON replies, fewer points
    /// than asked (kept) and more (the least important are dropped). A reply without any key point is a
    /// failure; if it reads like a refusal the error says so.
    /// </summary>
    public static ReplyParse<ParsedResponse> Parse(string? reply, int maxOpinions)
    {
        if (string.IsNullOrWhiteSpace(reply)) return ReplyParse<ParsedResponse>.Failure("empty reply");
        var notes = new List<string>();

        // Reasoning models may think aloud first; that draft is not the answer.
        reply = ThinkBlock().Replace(reply, "");
        var opinions = FromJson(reply, out var jsonStance);
        var lines = ReplyText.Lines(reply);
        string? stance;
        if (opinions is not null)
        {
            stance = jsonStance is null ? null : StanceWords.Map(jsonStance);
        }
        else
        {
            var stanceLine = FindStance(lines, out stance);
            opinions = ReadKeyPoints(lines, stanceLine);
        }

        if (opinions.Count == 0)
        {
            return LooksLikeRefusal(reply)
                ? ReplyParse<ParsedResponse>.Failure("refusal: the model declined to give key points")
                : ReplyParse<ParsedResponse>.Failure("no key points found");
        }

        if (stance is null)
        {
            stance = LeadingStance(lines);
            if (stance is null)
            {
                notes.Add("no stance found; recorded as neutral");
                stance = Stances.Neutral;
            }
        }
        if (opinions.Count > maxOpinions)
        {
            notes.Add($"{opinions.Count} key points given, kept the first {maxOpinions}");
            opinions = opinions.Take(maxOpinions).ToList();
        }
        else if (opinions.Count < maxOpinions)
        {
            notes.Add($"{opinions.Count} of {maxOpinions} key points given");
        }
        return ReplyParse<ParsedResponse>.Success(new ParsedResponse(stance, opinions), notes);
    }

    /// <summary>Index of the stance line (or -1) and the stance it names (null when unreadable).</summary>
    private static int FindStance(List<string> lines, out string? stance)
    {
        stance = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var m = StanceLine().Match(lines[i]);
            if (!m.Success) continue;
            var value = m.Groups["value"].Value.Trim();
            // "Stance:" alone with the answer on the next line.
            if (value.Length == 0)
            {
                for (var j = i + 1; j < lines.Count; j++)
                {
                    if (lines[j].Trim().Length == 0) continue;
                    if (!KeyPointsHeader().IsMatch(lines[j]) && !ItemStart().IsMatch(lines[j]))
                    {
                        value = lines[j].Trim();
                        i = j;
                    }
                    break;
                }
            }
            stance = StanceWords.Map(value);
            return i;
        }
        return -1;
    }

    /// <summary>"Yes, because ..." or "No." opening the reply when there is no stance line.</summary>
    private static string? LeadingStance(List<string> lines)
    {
        var first = lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
        if (first is null) return null;
        var m = LeadingWord().Match(first);
        return m.Success ? StanceWords.Map(m.Value) : null;
    }

    private static List<Opinion> ReadKeyPoints(List<string> lines, int stanceLine)
    {
        var header = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (KeyPointsHeader().IsMatch(lines[i])) { header = i; break; }
        }
        var start = header >= 0 ? header + 1 : stanceLine >= 0 ? stanceLine + 1 : 0;
        var items = NumberedItems(lines, start);
        if (items.Count == 0 && header < 0 && start > 0) items = NumberedItems(lines, 0);
        // No numbering at all: "label: justification" lines after the header or the stance.
        if (items.Count == 0) items = LabelledLines(lines, start).Select(l => Split(l)).ToList();
        return items.Where(o => o.Point.Length > 0).ToList();
    }

    /// <summary>
    /// The numbered or bulleted list starting at or after <paramref name="start"/>. An item's first line
    /// and the lines that continue it are kept apart: when the first line has no "point: justification"
    /// separator, the continuation is the justification ("1. Growth" / "   - Reason: more jobs").
    /// </summary>
    private static List<Opinion> NumberedItems(List<string> lines, int start)
    {
        var items = new List<(string First, List<string> More)>();
        var itemIndent = -1;
        bool? numbered = null;
        var gap = false;
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) { gap = true; continue; }
            var indent = line.Length - line.TrimStart().Length;
            var m = ItemStart().Match(line);
            // A new item has the list's own marker kind at the list's margin; a "-" detail under "1." continues it.
            var isNumbered = m.Success && m.Groups["num"].Success;
            if (m.Success && (itemIndent < 0 || indent < itemIndent || (indent == itemIndent && isNumbered == numbered)))
            {
                if (itemIndent < 0) { itemIndent = indent; numbered = isNumbered; }
                items.Add((m.Groups["text"].Value.Trim(), []));
                gap = false;
                continue;
            }
            if (items.Count == 0) continue;
            // A line after an item continues it (wrapped text, an indented detail), unless a blank line
            // separates it and it starts at the list's margin: then the list is over and chatter follows.
            if (gap && indent <= itemIndent && !m.Success) break;
            items[^1].More.Add(m.Success ? m.Groups["text"].Value.Trim() : line.Trim());
            gap = false;
        }
        var result = new List<Opinion>(items.Count);
        foreach (var (first, more) in items)
        {
            var rest = string.Join(' ', more).Trim();
            if (rest.Length == 0 || PointSeparator().Match(first) is { Success: true, Index: > 0 })
            {
                result.Add(Split((first + " " + rest).Trim()));
                continue;
            }
            result.Add(new Opinion(first.TrimEnd(':', '：', '.', ';').Trim(), JustificationLabel().Replace(rest, "")));
        }
        return result;
    }

    private static List<string> LabelledLines(List<string> lines, int start)
    {
        var items = new List<string>();
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (StanceLine().IsMatch(line) || KeyPointsHeader().IsMatch(line)) continue;
            if (LabelledLine().IsMatch(line)) items.Add(line);
            else if (items.Count > 0) break;
        }
        return items;
    }

    /// <summary>"point: justification"; also " - " and " — " separators; no separator keeps it all as the point.</summary>
    private static Opinion Split(string item)
    {
        var s = item.Trim();
        var m = PointSeparator().Match(s);
        if (m.Success && m.Index > 0)
        {
            var point = s[..m.Index].Trim().TrimEnd('.', ';');
            var why = s[(m.Index + m.Length)..].Trim();
            if (point.Length > 0) return new Opinion(point, why);
        }
        return new Opinion(s.TrimEnd(), "");
    }

    /// <summary>A reply given as JSON: {"stance": ..., "key_points": [...]}. Null when the reply is not such JSON.</summary>
    private static List<Opinion>? FromJson(string reply, out string? stance)
    {
        stance = null;
        if (!reply.Contains('{', StringComparison.Ordinal)) return null;
        if (ReplyText.ExtractJson(reply) is not { ValueKind: JsonValueKind.Object } root) return null;
        JsonElement points = default;
        var found = false;
        foreach (var p in root.EnumerateObject())
        {
            var key = ReplyText.Fold(p.Name);
            if (key == "stance" && p.Value.ValueKind == JsonValueKind.String) stance = p.Value.GetString();
            else if (key is "keypoints" or "points" or "opinions" or "arguments" && p.Value.ValueKind == JsonValueKind.Array)
            {
                points = p.Value;
                found = true;
            }
        }
        if (!found) return null;
        var list = new List<Opinion>();
        foreach (var e in points.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.String) list.Add(Split(ReplyText.StripMarkdown(e.GetString() ?? "")));
            else if (e.ValueKind == JsonValueKind.Object)
            {
                string? point = null, why = null;
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String) continue;
                    var key = ReplyText.Fold(p.Name);
                    if (key is "point" or "keypoint" or "title" or "claim") point = p.Value.GetString();
                    else if (key is "justification" or "reason" or "explanation" or "why") why = p.Value.GetString();
                }
                if (!string.IsNullOrWhiteSpace(point)) list.Add(new Opinion(point.Trim(), why?.Trim() ?? ""));
            }
        }
        return list.Where(o => o.Point.Length > 0).ToList();
    }

    private static bool LooksLikeRefusal(string reply) => Refusal().IsMatch(reply);

    /// <summary>Stance words and their synonyms, English and Chinese.</summary>
    private static class StanceWords
    {
        private static readonly string[] Intensifiers =
            ["strongly", "mostly", "generally", "largely", "broadly", "leaning", "lean", "leans", "tentatively", "cautiously", "firmly", "clearly", "i", "my", "stance", "is", "a", "an", "the", "answer"];

        private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
        {
            ["yes"] = Stances.Yes, ["y"] = Stances.Yes, ["support"] = Stances.Yes, ["supports"] = Stances.Yes, ["supportive"] = Stances.Yes,
            ["agree"] = Stances.Yes, ["agreed"] = Stances.Yes, ["favor"] = Stances.Yes, ["favour"] = Stances.Yes, ["for"] = Stances.Yes,
            ["pro"] = Stances.Yes, ["affirmative"] = Stances.Yes, ["true"] = Stances.Yes, ["absolutely"] = Stances.Yes, ["definitely"] = Stances.Yes,
            ["should"] = Stances.Yes, ["positive"] = Stances.Yes,
            ["no"] = Stances.No, ["n"] = Stances.No, ["oppose"] = Stances.No, ["opposed"] = Stances.No, ["opposes"] = Stances.No, ["against"] = Stances.No,
            ["disagree"] = Stances.No, ["con"] = Stances.No, ["negative"] = Stances.No, ["not"] = Stances.No, ["never"] = Stances.No, ["false"] = Stances.No,
            ["reject"] = Stances.No, ["shouldnt"] = Stances.No,
            ["neutral"] = Stances.Neutral, ["depends"] = Stances.Neutral, ["mixed"] = Stances.Neutral,
            ["undecided"] = Stances.Neutral, ["nuanced"] = Stances.Neutral, ["conditional"] = Stances.Neutral, ["both"] = Stances.Neutral,
            ["uncertain"] = Stances.Neutral, ["unsure"] = Stances.Neutral, ["balanced"] = Stances.Neutral, ["ambivalent"] = Stances.Neutral,
            ["partially"] = Stances.Neutral, ["partly"] = Stances.Neutral, ["somewhat"] = Stances.Neutral, ["qualified"] = Stances.Neutral,
            ["maybe"] = Stances.Neutral, ["neither"] = Stances.Neutral, ["impartial"] = Stances.Neutral, ["abstain"] = Stances.Neutral,
        };

        public static string? Map(string text)
        {
            var t = text.Trim().ToLowerInvariant();
            if (t.Length == 0) return null;
            var zh = MapChinese(t);
            if (zh is not null) return zh;
            // The template copied back verbatim ("yes/no/neutral") says nothing.
            if (t.Contains("yes", StringComparison.Ordinal) && t.Contains("no", StringComparison.Ordinal) && t.Contains("neutral", StringComparison.Ordinal)) return null;
            if (t.StartsWith("not sure", StringComparison.Ordinal) || t.StartsWith("it depends", StringComparison.Ordinal)) return Stances.Neutral;
            if (t.StartsWith("in favo", StringComparison.Ordinal)) return Stances.Yes;
            var words = WordSplit().Split(t).Select(w => w.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal))
                .Where(w => w.Length > 0).ToList();
            for (var i = 0; i < words.Count; i++)
            {
                if (Intensifiers.Contains(words[i])) continue;
                var stance = Words.GetValueOrDefault(words[i]);
                // "should not", "support not ..." turn a yes word around.
                if (stance == Stances.Yes && i + 1 < words.Count && words[i + 1] == "not") return Stances.No;
                return stance;
            }
            return null;
        }

        private static string? MapChinese(string t)
        {
            if (t.Contains("中立", StringComparison.Ordinal) || t.Contains("视情况", StringComparison.Ordinal) || t.Contains("取决于", StringComparison.Ordinal)) return Stances.Neutral;
            if (t.Contains("不支持", StringComparison.Ordinal) || t.Contains("不同意", StringComparison.Ordinal) || t.Contains("不赞成", StringComparison.Ordinal)
                || t.Contains("反对", StringComparison.Ordinal)) return Stances.No;
            if (t.Contains("支持", StringComparison.Ordinal) || t.Contains("赞成", StringComparison.Ordinal) || t.Contains("同意", StringComparison.Ordinal)) return Stances.Yes;
            if (t.StartsWith('是')) return Stances.Yes;
            if (t.StartsWith('否') || t.StartsWith('不')) return Stances.No;
            return null;
        }
    }

    [GeneratedRegex(@"^\s*(?:my\s+)?(?:overall\s+)?(?:stance|position|answer|verdict|立场|观点|态度)\s*(?:\(.*?\))?\s*[:：\-–—]\s*(?<value>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex StanceLine();

    [GeneratedRegex(@"^\s*(?:here\s+are\s+)?(?:the\s+|my\s+)?(?:(?:\d+|two|three|four|five)\s+)?(?:key|main|core|supporting)?\s*(?:points?|arguments?|reasons?|considerations?|justifications?)(?:\s+and\s+justifications?)?\s*(?:\(.*?\))?\s*[:：]?\s*$|^\s*(?:要点|关键点|主要观点|理由)\s*[:：]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex KeyPointsHeader();

    // "1." "1)" "(1)" "1:" "1、" "一、" "-" "*" "•" "Point 1:" "Key point 2 -"
    [GeneratedRegex(@"^\s*(?:(?<num>(?:\d{1,2}|[一二三四五六七八九十])\s*[\.\)、:：]|\(\d{1,2}\)|(?:key\s+)?point\s*\d{1,2}\s*[:：.\-)–—])|[-*•–·])\s*(?<text>\S.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex ItemStart();

    [GeneratedRegex(@"<think(?:ing)?>.*?(?:</think(?:ing)?>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"^(?:justification|reason|reasoning|why|because|explanation|理由)\s*[:：]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex JustificationLabel();

    [GeneratedRegex(@"^[^:：]{2,120}[:：]\s*\S")]
    private static partial Regex LabelledLine();

    [GeneratedRegex(@"\s*[:：]\s*|\s+[-–—]\s+")]
    private static partial Regex PointSeparator();

    [GeneratedRegex(@"^[\p{L}']+")]
    private static partial Regex LeadingWord();

    [GeneratedRegex(@"[^\p{L}\p{N}'’]+")]
    private static partial Regex WordSplit();

    [GeneratedRegex(@"\b(?:I['’]?m sorry|I am sorry|I apologi[sz]e|I (?:cannot|can['’]?t|won['’]?t|will not|am unable to|am not able to)\b|as an? (?:AI|artificial intelligence|language model|assistant)|I (?:do not|don['’]?t) (?:have|hold|form) (?:personal )?(?:opinions|views|beliefs|stances?))|我无法|我不能|作为(?:一个)?(?:人工智能|AI|语言模型)|抱歉", RegexOptions.IgnoreCase)]
    private static partial Regex Refusal();
}
