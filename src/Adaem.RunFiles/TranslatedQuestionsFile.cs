using System.Text.Json;
using Adaem.Core.Evaluation;

namespace Adaem.RunFiles;

/// <summary>
/// questions.LANG.jsonl, written by a cross-lingual evaluation for each language the questions were translated into:
/// one question a line with id (the source question's id, kept), source_id (the same id, named for what it is),
/// language, question (the translation), source_question and translator (the model's local name). It reads back as
/// a question file (evaluate --questions), since it has id and question.
/// </summary>
public static class TranslatedQuestionsFile
{
    public static string FileName(string language) => $"questions.{language}.jsonl";

    /// <summary>
    /// Deletes the questions.LANG.jsonl in <paramref name="directory"/> of every language not in <paramref name="keep"/>:
    /// one left by an earlier evaluation in a language since dropped would describe questions the scores were not
    /// computed on. questions.jsonl itself and other files are left alone.
    /// </summary>
    public static void DeleteExcept(string directory, IReadOnlyCollection<string> keep)
    {
        if (!Directory.Exists(directory))
            return;
        foreach (var path in Directory.EnumerateFiles(directory, "questions.*.jsonl"))
        {
            var match = LanguageFile.Match(Path.GetFileName(path));
            if (match.Success && !keep.Contains(match.Groups[1].Value, StringComparer.OrdinalIgnoreCase))
                File.Delete(path);
        }
    }

    private static readonly System.Text.RegularExpressions.Regex LanguageFile = new(
        @"^questions\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.jsonl$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant
    );

    /// <summary>Writes the translations of <paramref name="questions"/> (source question, its translation; in order) into <paramref
    /// name="language"/>.</summary>
    public static string Write(
        string directory,
        string language,
        string translator,
        IEnumerable<(Question Source, Question Translated)> questions
    )
    {
        var path = Path.Combine(directory, FileName(language));
        AtomicFile.Write(
            path,
            stream =>
            {
                foreach (var (source, translated) in questions)
                {
                    using (
                        var w = new Utf8JsonWriter(
                            stream,
                            new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
                        )
                    )
                    {
                        w.WriteStartObject();
                        w.WriteString("id", source.Id);
                        w.WriteString("source_id", source.Id);
                        w.WriteString("language", language);
                        w.WriteString("question", translated.Text);
                        w.WriteString("source_question", source.Text);
                        w.WriteString("translator", translator);
                        w.WriteEndObject();
                    }
                    stream.Write("\n"u8);
                }
            }
        );
        return path;
    }
}
