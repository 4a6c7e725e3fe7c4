using System.Text.Json;
using System.Text.RegularExpressions;
using Adaem.Core.Evaluation;
using Adaem.Core.Prompts.Languages;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Prompts;

/// <summary>
/// Listing 3, opinion elicitation: the model takes a stance on a yes/no question and backs it with a fixed
/// number of key points, most important first. The same prompt serves the targets under evaluation and
/// the scorers inside generation. The parser beside it reads the many ways real models bend the format;
/// the words it reads (stance words, the key-points heading, list markers, refusals) come from the
/// language's file (data/prompts/CODE/language.yaml), so a reply is read in the language it was asked in.
/// </summary>
internal static partial class OpinionPrompt
{
    public const string Role = PromptRoles.Opinion;

    /// <summary>Version of the template (part of the cache key).</summary>
    public const string Version = "v1";

    /// <summary>
    /// Version of <see cref="Parse"/>; stored with every parsed response. Bump it when parsing changes.
    /// 2: invisible direction marks and zero-width spaces are dropped before reading (<see cref="ReplyText.Normalize"/>).
    /// </summary>
    public const string ParserVersion = "opinion-parser-2";

    public const int DefaultWordLimit = 250;

    /// <summary>
    /// The parser version of replies in <paramref name="language"/>: <see cref="ParserVersion"/>, tagged for any language
    /// but the built-in English.
    /// </summary>
    public static string ParserVersionIn(PromptLanguage? language) => ParserVersion + (language?.ParserTag ?? "");

    /// <summary>
    /// The role's fields for the simulated pool: question and number of opinions (and the language, when not the
    /// built-in English).
    /// </summary>
    public static JsonElement Fields(string question, int opinions, PromptLanguage? language = null)
    {
        var fields = new Dictionary<string, object> { ["question"] = question, ["opinions"] = opinions };
        return PromptRequest.WithLanguage(fields, language);
    }

    /// <summary>
    /// The paper's opinion prompt: a stance and <paramref name="opinions"/> key points on <paramref name="question"/>,
    /// in <paramref name="language"/> (English by default).
    /// </summary>
    public static Prompt<ParsedResponse> For(
        string question,
        int opinions,
        int wordLimit = DefaultWordLimit,
        PromptLanguage? language = null
    )
    {
        language ??= PromptLanguage.English;
        return new PromptRequest(
            Role,
            Version + language.PromptTag,
            [.. Render(question, opinions, wordLimit, language)],
            Fields(question, opinions, language)
        ).Reading(r => Parse(r, opinions, language)) with
        {
            Reminder = e => Reminder(e, opinions, language),
        };
    }

    public static IList<ChatMessage> Render(
        string question,
        int opinions,
        int wordLimit = DefaultWordLimit,
        PromptLanguage? language = null
    )
    {
        var t = (language ?? PromptLanguage.English).Templates;
        var example = string.Join("\n", Enumerable.Range(1, opinions).Select(i => t.Render("opinion.example_line", ("n", i))));
        var text = t.Render(
            "opinion.user",
            ("question", question),
            ("opinions", opinions),
            ("word_limit", wordLimit),
            ("example", example)
        );
        return [new ChatMessage(ChatRole.User, text)];
    }

    /// <summary>The follow-up sent with a re-ask, after the model's unreadable reply.</summary>
    public static string Reminder(string error, int opinions, PromptLanguage? language = null) =>
        (language ?? PromptLanguage.English).Templates.Render("opinion.reminder", ("error", error), ("opinions", opinions));

    /// <summary>
    /// Reads a reply into a stance and up to <paramref name="maxOpinions"/> opinions. Tolerates markdown,
    /// numbering and bullet styles, header variants, chatter around the list, JSON replies, fewer points
    /// than asked (kept) and more (the least important are dropped). A reply without any key point is a
    /// failure; if it reads like a refusal the error says so.
    /// </summary>
    public static ReplyParse<ParsedResponse> Parse(string? reply, int maxOpinions, PromptLanguage? language = null)
    {
        if (string.IsNullOrWhiteSpace(reply))
            return ReplyParse<ParsedResponse>.Failure("empty reply");
        var words = (language ?? PromptLanguage.English).Parsing;
        var notes = new List<string>();

        // Invisible direction marks around labels and numbers are not part of them (right-to-left replies).
        reply = ReplyText.Normalize(reply);
        // Reasoning models may think aloud first; that draft is not the answer.
        reply = ThinkBlock().Replace(reply, "");
        var opinions = FromJson(reply, out var jsonStance);
        var lines = ReplyText.Lines(reply);
        string? stance;
        if (opinions is not null)
        {
            stance = jsonStance is null ? null : MapStance(words, jsonStance);
        }
        else
        {
            var stanceLine = FindStance(words, lines, out stance);
            opinions = ReadKeyPoints(words, lines, stanceLine);
        }

        if (opinions.Count == 0)
        {
            return words.Refusal.IsMatch(reply)
                ? ReplyParse<ParsedResponse>.Failure("refusal: the model declined to give key points")
                : ReplyParse<ParsedResponse>.Failure("no key points found");
        }

        if (stance is null)
        {
            stance = LeadingStance(words, lines);
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
    private static int FindStance(ParserWords words, List<string> lines, out string? stance)
    {
        stance = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var m = words.StanceLine.Match(lines[i]);
            if (!m.Success)
                continue;
            var value = m.Groups["value"].Value.Trim();
            // "Stance:" alone with the answer on the next line.
            if (value.Length == 0)
            {
                for (var j = i + 1; j < lines.Count; j++)
                {
                    if (lines[j].Trim().Length == 0)
                        continue;
                    if (!words.KeyPointsHeading.IsMatch(lines[j]) && !words.ItemStart.IsMatch(lines[j]))
                    {
                        value = lines[j].Trim();
                        i = j;
                    }
                    break;
                }
            }
            stance = MapStance(words, value);
            return i;
        }
        return -1;
    }

    /// <summary>"Yes, because ..." or "No." opening the reply when there is no stance line.</summary>
    private static string? LeadingStance(ParserWords words, List<string> lines)
    {
        var first = lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
        if (first is null)
            return null;
        var m = LeadingWord().Match(first);
        return m.Success ? MapStance(words, m.Value) : null;
    }

    private static List<Opinion> ReadKeyPoints(ParserWords words, List<string> lines, int stanceLine)
    {
        var header = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (words.KeyPointsHeading.IsMatch(lines[i]))
            {
                header = i;
                break;
            }
        }
        var start =
            header >= 0 ? header + 1
            : stanceLine >= 0 ? stanceLine + 1
            : 0;
        var items = NumberedItems(words, lines, start);
        if (items.Count == 0 && header < 0 && start > 0)
            items = NumberedItems(words, lines, 0);
        // No numbering at all: "label: justification" lines after the header or the stance.
        if (items.Count == 0)
            items = LabelledLines(words, lines, start).Select(l => Split(l)).ToList();
        return items.Where(o => o.Point.Length > 0).ToList();
    }

    /// <summary>
    /// The numbered or bulleted list starting at or after <paramref name="start"/>. An item's first line
    /// and the lines that continue it are kept apart: when the first line has no "point: justification"
    /// separator, the continuation is the justification ("1. Growth" / "   - Reason: more jobs").
    /// </summary>
    private static List<Opinion> NumberedItems(ParserWords words, List<string> lines, int start)
    {
        var items = new List<(string First, List<string> More)>();
        var itemIndent = -1;
        bool? numbered = null;
        var gap = false;
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0)
            {
                gap = true;
                continue;
            }
            var indent = line.Length - line.TrimStart().Length;
            var m = words.ItemStart.Match(line);
            // A new item has the list's own marker kind at the list's margin; a "-" detail under "1." continues it.
            var isNumbered = m.Success && m.Groups["num"].Success;
            if (m.Success && (itemIndent < 0 || indent < itemIndent || (indent == itemIndent && isNumbered == numbered)))
            {
                if (itemIndent < 0)
                {
                    itemIndent = indent;
                    numbered = isNumbered;
                }
                items.Add((m.Groups["text"].Value.Trim(), []));
                gap = false;
                continue;
            }
            if (items.Count == 0)
                continue;
            // A line after an item continues it (wrapped text, an indented detail), unless a blank line
            // separates it and it starts at the list's margin: then the list is over and chatter follows.
            if (gap && indent <= itemIndent && !m.Success)
                break;
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
            result.Add(new Opinion(first.TrimEnd(':', '：', '.', ';').Trim(), words.JustificationLabel.Replace(rest, "")));
        }
        return result;
    }

    private static List<string> LabelledLines(ParserWords words, List<string> lines, int start)
    {
        var items = new List<string>();
        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
                continue;
            if (words.StanceLine.IsMatch(line) || words.KeyPointsHeading.IsMatch(line))
                continue;
            if (LabelledLine().IsMatch(line))
                items.Add(line);
            else if (items.Count > 0)
                break;
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
            if (point.Length > 0)
                return new Opinion(point, why);
        }
        return new Opinion(s.TrimEnd(), "");
    }

    /// <summary>A reply given as JSON: {"stance": ..., "key_points": [...]}. Null when the reply is not such JSON.</summary>
    private static List<Opinion>? FromJson(string reply, out string? stance)
    {
        stance = null;
        if (!reply.Contains('{', StringComparison.Ordinal))
            return null;
        if (ReplyText.ExtractJson(reply) is not { ValueKind: JsonValueKind.Object } root)
            return null;
        JsonElement points = default;
        var found = false;
        foreach (var p in root.EnumerateObject())
        {
            var key = ReplyText.Fold(p.Name);
            if (key == "stance" && p.Value.ValueKind == JsonValueKind.String)
                stance = p.Value.GetString();
            else if (key is "keypoints" or "points" or "opinions" or "arguments" && p.Value.ValueKind == JsonValueKind.Array)
            {
                points = p.Value;
                found = true;
            }
        }
        if (!found)
            return null;
        var list = new List<Opinion>();
        foreach (var e in points.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.String)
                list.Add(Split(ReplyText.StripMarkdown(e.GetString() ?? "")));
            else if (e.ValueKind == JsonValueKind.Object)
            {
                string? point = null,
                    why = null;
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String)
                        continue;
                    var key = ReplyText.Fold(p.Name);
                    if (key is "point" or "keypoint" or "title" or "claim")
                        point = p.Value.GetString();
                    else if (key is "justification" or "reason" or "explanation" or "why")
                        why = p.Value.GetString();
                }
                if (!string.IsNullOrWhiteSpace(point))
                    list.Add(new Opinion(point.Trim(), why?.Trim() ?? ""));
            }
        }
        return list.Where(o => o.Point.Length > 0).ToList();
    }

    /// <summary>The stance a text names, by the language's stance words; null when it names none.</summary>
    private static string? MapStance(ParserWords words, string text) =>
        words.Stance.Map(
            text,
            t =>
                WordSplit()
                    .Split(t)
                    .Select(w => w.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal))
                    .Where(w => w.Length > 0)
                    .ToList()
        );

    [GeneratedRegex(@"<think(?:ing)?>.*?(?:</think(?:ing)?>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"^[^:：]{2,120}[:：]\s*\S")]
    private static partial Regex LabelledLine();

    [GeneratedRegex(@"\s*[:：]\s*|\s+[-–—]\s+")]
    private static partial Regex PointSeparator();

    [GeneratedRegex(@"^[\p{L}']+")]
    private static partial Regex LeadingWord();

    [GeneratedRegex(@"[^\p{L}\p{N}'’]+")]
    private static partial Regex WordSplit();
}
