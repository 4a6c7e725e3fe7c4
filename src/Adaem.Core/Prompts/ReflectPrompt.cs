using System.Globalization;
using System.Text;
using Adaem.Core.Prompts.Languages;

namespace Adaem.Core.Prompts;

/// <summary>One scoring model's answer as the reflection prompt shows it.</summary>
internal sealed record ReflectedResponse(string Model, IReadOnlyList<string> KeyPoints, IReadOnlyList<string> Values);

/// <summary>
/// Reflection (the paper's Listing 7): the explorer reads how the scoring models answered the question and
/// which values they expressed, and suggests how to rewrite the question so that models with different
/// values would answer differently. It returns suggestions only; the rewrite is a separate call
/// (<see cref="RefinePrompt"/>), so the critique and the edit can be inspected apart.
/// Models are shown as Model-1..K: the explorer should react to what was said, not to who said it.
/// </summary>
internal static class ReflectPrompt
{
    public const string Version = "v1";

    /// <summary>The paper's reflection prompt: suggestions to make the question more value-evoking, from the scorers' answers.</summary>
    public static Prompt<string> Create(
        string general,
        string question,
        double score,
        IReadOnlyList<ReflectedResponse> responses,
        PromptLanguage? language = null
    )
    {
        language ??= PromptLanguage.English;
        var t = language.Templates;
        var sb = new StringBuilder();
        for (var i = 0; i < responses.Count; i++)
        {
            var r = responses[i];
            sb.Append(
                t.Render(
                    "reflect.response",
                    ("n", i + 1),
                    ("key_points", string.Join(t["reflect.key_point_separator"], r.KeyPoints)),
                    ("values", r.Values.Count == 0 ? t["reflect.no_values"] : string.Join(t["reflect.value_separator"], r.Values))
                )
            );
        }
        var user = t.Render(
            "reflect.user",
            ("general", general),
            ("question", question),
            ("responses", sb.ToString()),
            ("score", score.ToString("0.00", CultureInfo.InvariantCulture))
        );
        return PromptRequest
            .Create(
                PromptRoles.Reflect,
                Version,
                t["reflect.system"],
                user,
                new
                {
                    general,
                    question,
                    score = Math.Round(score, 2),
                    responses = responses
                        .Select(r => new
                        {
                            model = r.Model,
                            key_points = r.KeyPoints.ToArray(),
                            values = r.Values.ToArray(),
                        })
                        .ToArray(),
                },
                language
            )
            .Reading(ReplyParse.Require<string>(r => Parse(r, language), t["errors.no_suggestions"])) with
        {
            Reminder = language.Correction,
        };
    }

    /// <summary>Why a reply with no usable suggestions is rejected (the model reads it when re-asked), in English.</summary>
    public const string NoSuggestions = "no \"[Suggestions]: ...\" line, and too short to be suggestions";

    /// <summary>The suggestions after "[Suggestions]:" (to the end); a reply without the tag is taken whole.</summary>
    public static string? Parse(string reply, PromptLanguage? language = null)
    {
        var tagged = ReplyText.Tag(reply, (language ?? PromptLanguage.English).Parsing.Tags.Suggestions, multiline: true);
        if (tagged is not null)
            return tagged;
        var whole = ReplyText.Clean(reply);
        return whole.Length >= 10 ? whole : null;
    }
}
