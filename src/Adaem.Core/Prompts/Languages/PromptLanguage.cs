namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// One language adaem can ask and read in: its prompt templates, the words its parsers read, example
/// replies for <c>adaem validate prompts</c>, and the tags that make its prompts and parses an identity of
/// their own. Built-in languages live in data/prompts/CODE/ (embedded); a user's language is a folder of
/// the same three files (language.yaml, templates.yaml, examples.yaml). See docs/languages.md.
/// </summary>
public sealed class PromptLanguage
{
    /// <summary>The built-in English: the templates adaem has always sent.</summary>
    public static PromptLanguage English => PromptLanguages.English;

    /// <summary>BCP-47 tag, e.g. "en", "zh", "ar".</summary>
    public required string Code { get; init; }

    /// <summary>The language's name in English.</summary>
    public required string Name { get; init; }

    /// <summary>The language's name in itself.</summary>
    public required string NativeName { get; init; }

    /// <summary>Written right to left (Arabic, Hebrew, Persian, ...).</summary>
    public bool RightToLeft { get; init; }

    /// <summary>Where it was loaded from: "built-in" or the folder.</summary>
    public required string Source { get; init; }
    public required LanguageTemplates Templates { get; init; }
    public required ParserWords Parsing { get; init; }
    public required IReadOnlyList<ExampleReply> Examples { get; init; }

    /// <summary>True only for the built-in English, whose prompts and parses keep the identities they always had.</summary>
    public bool IsBuiltInEnglish { get; init; }

    /// <summary>Fingerprint (hex) of the templates' content, comments aside.</summary>
    public required string TemplatesHash { get; init; }

    /// <summary>Fingerprint (hex) of language.yaml's content, comments aside.</summary>
    public required string ParsingHash { get; init; }

    /// <summary>
    /// Added to every prompt version of this language (and so to the cache keys and the stored identities of
    /// answers and judgments): empty for the built-in English, "+CODE:HASH" otherwise, so an answer asked in one
    /// language (or an older wording of it) is never served for another.
    /// </summary>
    public string PromptTag => IsBuiltInEnglish ? "" : $"+{Code}:{TemplatesHash[..12]}";

    /// <summary>Added to the opinion parser's version: empty for the built-in English, "+CODE:HASH" otherwise.</summary>
    public string ParserTag => IsBuiltInEnglish ? "" : $"+{Code}:{ParsingHash[..12]}";

    /// <summary>
    /// What the model reads after an unusable reply of a role without a reminder of its own: the generic
    /// correction of <see cref="StructuredReply"/> in this language (the error cut at 300 characters).
    /// </summary>
    public string Correction(string error) => Templates.Render("correction", ("error", error.Length <= 300 ? error : error[..300] + "..."));

    public override string ToString() => IsBuiltInEnglish || Source == PromptLanguages.BuiltInSource ? Code : $"{Code} ({Source})";
}
