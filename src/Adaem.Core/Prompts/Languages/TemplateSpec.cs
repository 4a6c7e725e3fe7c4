namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// Every piece of text a language's templates.yaml supplies, with the placeholders it may use and those it
/// must keep (an input the reply depends on, such as the question itself). The prompt files of
/// Core/Prompts render these pieces; the loader checks a language against this list, so a translation
/// that drops the question or invents a placeholder is refused with the file and line.
/// </summary>
internal static class TemplateSpec
{
    /// <summary>One piece: its key ("role.piece"), the placeholders it may use and the ones it must use.</summary>
    public sealed record Piece(string Key, IReadOnlyList<string> Placeholders, IReadOnlyList<string> Required);

    private static Piece P(string key, string[] placeholders, string[]? required = null) =>
        new(key, placeholders, required ?? placeholders);

    private static Piece Text(string key) => new(key, [], []);

    public static readonly IReadOnlyList<Piece> Pieces =
    [
        P("opinion.user", ["question", "opinions", "word_limit", "example"], ["question", "example"]),
        P("opinion.example_line", ["n"]),
        P("opinion.reminder", ["error", "opinions"], []),
        P("judge.system", ["theory_name", "theory_description", "values"], ["values"]),
        P("judge.value_line", ["code", "name", "definition"], ["code", "definition"]),
        P("judge.batched", ["count", "opinions", "first_code"], ["opinions"]),
        P("judge.batched_line", ["index", "text"]),
        P("judge.batched_reminder", ["error", "opinions"], []),
        P("judge.per_value", ["name", "definition", "text"], ["name", "text"]),
        P("judge.per_value_reminder", ["error"], []),
        P("judge.question", ["question"]),
        P("judge.question_reminder", ["error"], []),
        Text("explore.system"),
        P("explore.context", ["general", "examples", "used", "period"]),
        P("explore.example", ["question", "score"]),
        Text("explore.no_examples"),
        P("explore.used", ["contexts"]),
        P("explore.used_line", ["context"]),
        P("explore.period", ["period"]),
        P("explore.question", ["general", "information"]),
        Text("reflect.system"),
        P("reflect.user", ["general", "question", "responses", "score"]),
        P("reflect.response", ["n", "key_points", "values"]),
        Text("reflect.key_point_separator"),
        Text("reflect.value_separator"),
        Text("reflect.no_values"),
        Text("refine.system"),
        P("refine.user", ["general", "question", "suggestions"]),
        Text("safety.system"),
        P("safety.user", ["question"]),
        Text("seed_convert.system"),
        P("seed_convert.user", ["argument"]),
        Text("seed_expand.system"),
        Text("seed_expand.topic"),
        P("seed_expand.topic_category", ["category"]),
        P("seed_expand.user", ["topic", "examples", "used", "proposal"]),
        P("seed_expand.example", ["argument"]),
        P("seed_expand.used", ["arguments"]),
        P("seed_expand.used_line", ["argument"]),
        P("seed_expand.proposal_one", ["count"], []),
        P("seed_expand.proposal_many", ["count"]),
        Text("translate.system"),
        P("translate.user", ["source_language", "text"], ["text"]),
        P("correction", ["error"]),
        Text("errors.no_information"),
        Text("errors.no_question"),
        Text("errors.no_suggestions"),
        Text("errors.no_verdict"),
        Text("errors.no_proposals"),
        Text("errors.no_translation"),
        Text("errors.untranslated"),
    ];

    public static readonly IReadOnlyDictionary<string, Piece> ByKey = Pieces.ToDictionary(p => p.Key, StringComparer.Ordinal);
}
