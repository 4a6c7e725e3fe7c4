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
