using System.Security.Cryptography;
using System.Text;
using Adaem.Core.Data;
using Adaem.Core.Errors;

namespace Adaem.Core.Evaluation;

/// <summary>
/// Reads the questions to evaluate on: our questions.jsonl, or any JSONL/CSV/TSV file with a `question`
/// field. An `id` field is used when present; otherwise the id is derived from the question text, so the
/// same question keeps its id (and its stored answers) when the file is reordered or extended.
/// </summary>
public static class QuestionSource
{
    public static IReadOnlyList<Question> Read(string path)
    {
        var rows = TabularFile.Read(path);
        var questions = new List<Question>(rows.Count);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var text = row.Get("question")?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                throw new InputException(path, row.Line, row.Fields.ContainsKey("question") ? "the question is empty" : "this record has no 'question' field",
                    "give every record a non-empty 'question' field (the text put to the models)");
            }
            var id = row.Get("id")?.Trim();
            var derived = string.IsNullOrEmpty(id);
            if (derived) id = IdOf(text);
            if (ids.TryGetValue(id!, out var first))
            {
                throw new InputException(path, row.Line,
                    derived ? $"the same question already appears on line {first}" : $"question id '{id}' already appears on line {first}",
                    "remove the duplicate, or give each record its own 'id'");
            }
            ids[id!] = row.Line;
            questions.Add(new Question(id!, text)
            {
                Argument = Blank(row.Get("argument")),
                Seed = Blank(row.Get("seed")),
                Category = Blank(row.Get("category")),
            });
        }
        if (questions.Count == 0) throw new InputException(path, null, "the file has no questions", "add one record per question with a 'question' field");
        return questions;
    }

    /// <summary>"q-" and the first 12 hex digits of SHA-256 over the whitespace-normalised text.</summary>
    public static string IdOf(string question)
    {
        var normal = string.Join(' ', question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "q-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)))[..12];
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
