using System.Security.Cryptography;
using System.Text;
using Adaem.Core.Data;
using Adaem.Core.Errors;

namespace Adaem.Core.Evaluation;

/// <summary>The questions of a file, and what should be said about them before they are asked.</summary>
public sealed record QuestionFile(IReadOnlyList<Question> Questions, IReadOnlyList<InputProblem> Warnings);

/// <summary>
/// Reads the questions to evaluate on: our questions.jsonl, or any JSONL/CSV/TSV file with a `question`
/// field. An `id` field is used when present; otherwise the id is derived from the question text, so the
/// same question keeps its id (and its stored answers) when the file is reordered or extended. The file
/// must be UTF-8, its text fields text, and its questions within <see cref="QuestionLimits"/>.
/// </summary>
public static class QuestionSource
{
    /// <summary>The text fields of a question record: present and not a string (in JSONL) is an error.</summary>
    private static readonly string[] TextFields = ["question", "id", "argument", "seed", "category"];

    /// <summary>The questions of <paramref name="path"/> under the default limits.</summary>
    public static IReadOnlyList<Question> Read(string path) => Load(path, QuestionLimits.Default).Questions;

    /// <summary>
    /// The questions of <paramref name="path"/>: refused (exit 2, every too-long question named by its line)
    /// when any is longer than <see cref="QuestionLimits.MaxChars"/>; one warning for those longer than
    /// <see cref="QuestionLimits.WarnChars"/>.
    /// </summary>
    public static QuestionFile Load(string path, QuestionLimits limits) => Load(TabularFile.Read(path), path, limits);

    /// <summary>
    /// The questions of JSONL <paramref name="bytes"/> already read from <paramref name="path"/> (e.g. the bytes whose hash
    /// was just checked), under the same rules as <see cref="Load(string, QuestionLimits)"/>; the file is not opened again.
    /// </summary>
    public static QuestionFile LoadJsonl(string path, ReadOnlySpan<byte> bytes, QuestionLimits limits) =>
        Load(TabularFile.ReadJsonLines(Utf8Text.Decode(bytes, path), path), path, limits);

    private static QuestionFile Load(IReadOnlyList<TabularRow> rows, string path, QuestionLimits limits)
    {
        var questions = new List<Question>(rows.Count);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var tooLong = new List<InputProblem>();
        var longLines = new List<(int Line, int Length)>();
        foreach (var row in rows)
        {
            row.RequireText(path, TextFields);
            var text = row.Get("question")?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                throw new InputException(
                    path,
                    row.Line,
                    row.Fields.ContainsKey("question") ? "the question is empty" : "this record has no 'question' field",
                    "give every record a non-empty 'question' field (the text put to the models)"
                );
            }
            var id = row.Get("id")?.Trim();
            var derived = string.IsNullOrEmpty(id);
            if (derived)
                id = IdOf(text);
            if (ids.TryGetValue(id!, out var first))
            {
                throw new InputException(
                    path,
                    row.Line,
                    derived ? $"the same question already appears on line {first}" : $"question id '{id}' already appears on line {first}",
                    "remove the duplicate, or give each record its own 'id'"
                );
            }
            ids[id!] = row.Line;
            if (text.Length > limits.MaxChars)
                tooLong.Add(
                    new InputProblem(
                        path,
                        row.Line,
                        Invariant(
                            $"this question has {text.Length:N0} characters, above the limit of {limits.MaxChars:N0} (evaluation.question_max_chars); it would be sent whole to every target"
                        ),
                        "shorten it or remove it; raise evaluation.question_max_chars only if questions this long are intended"
                    )
                );
            else if (text.Length > limits.WarnChars)
                longLines.Add((row.Line, text.Length));
            questions.Add(
                new Question(id!, text)
                {
                    Argument = Blank(row.Get("argument")),
                    Seed = Blank(row.Get("seed")),
                    Category = Blank(row.Get("category")),
                }
            );
        }
        if (tooLong.Count > 0)
            throw new InputException(tooLong);
        if (questions.Count == 0)
            throw new InputException(path, null, "the file has no questions", "add one record per question with a 'question' field");
        return new QuestionFile(questions, LongQuestions(path, longLines, limits));
    }

    /// <summary>One warning for all questions above the warning length: how many, where the first and the longest are.</summary>
    private static IReadOnlyList<InputProblem> LongQuestions(string path, List<(int Line, int Length)> found, QuestionLimits limits)
    {
        if (found.Count == 0)
            return [];
        var longest = found.MaxBy(f => f.Length);
        var which =
            found.Count == 1
                ? Invariant($"this question has {longest.Length:N0} characters")
                : Invariant(
                    $"{found.Count:N0} questions have more than {limits.WarnChars:N0} characters (the first on this line; the longest, {longest.Length:N0}, on line {longest.Line})"
                );
        return
        [
            new InputProblem(
                path,
                found[0].Line,
                Invariant(
                    $"{which}, above evaluation.question_warn_chars ({limits.WarnChars:N0}); each is sent whole to every target, so tokens and cost grow with it"
                ),
                "shorten long questions, or raise evaluation.question_warn_chars if they are meant to be long"
            ),
        ];
    }

    private static string Invariant(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"q-" and the first 12 hex digits of SHA-256 over the whitespace-normalised text.</summary>
    public static string IdOf(string question)
    {
        var normal = string.Join(' ', question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "q-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)))[..12];
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
