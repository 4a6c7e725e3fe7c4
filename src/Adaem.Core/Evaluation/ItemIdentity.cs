using System.Security.Cryptography;
using System.Text;

namespace Adaem.Core.Evaluation;

/// <summary>
/// Fingerprints of what was asked, so a stored record is served only to the exact request it answers.
/// An answer's fingerprint covers the question's id and text, the answering model's resolved identity
/// (provider, endpoint without credentials, model id, sampling options), the prompt and its settings and
/// the sample; a judgment's covers the answer it judged and the judge's own identity. Change any of them
/// and the stored record is simply not found: the item is asked again and the old row is kept apart.
/// </summary>
public static class ItemIdentity
{
    /// <summary>SHA-256 (hex, lower case) of the parts, each length-prefixed so no two part lists collide.</summary>
    public static string Of(params string?[] parts)
    {
        var b = new StringBuilder();
        foreach (var p in parts)
        {
            var s = p ?? "\u2400";
            b.Append(s.Length).Append(':').Append(s).Append('|');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(b.ToString())));
    }

    /// <summary>The fingerprint of one answer: the model of <paramref name="modelIdentity"/> answering <paramref name="question"/> as
    /// sample <paramref name="sample"/>.</summary>
    public static string Answer(Question question, string modelIdentity, string promptSettings, int sample) =>
        Of(
            "answer",
            question.Id,
            question.Text,
            modelIdentity,
            promptSettings,
            sample.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );

    /// <summary>The theory as the judge sees it: every value's code, name and definition.</summary>
    public static string Theory(Theory.ValueTheory theory) =>
        Of([theory.Code, .. theory.Values.SelectMany(v => new[] { v.Code, v.Name, v.Definition })]);

    /// <summary>The fingerprint of the judge's verdict on the values of a question text.</summary>
    public static string QuestionText(Question question) => Of("question", question.Id, question.Text);
}
