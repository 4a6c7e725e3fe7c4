namespace Adaem.Core.Prompts;

/// <summary>
/// The prompt roles of the method. Each role has one file in Prompts/ that builds its prompt and parses its
/// replies; the texts are data, one set per language (data/prompts/CODE/templates.yaml, read through
/// <see cref="Languages.PromptLanguage"/>), and so are the words the parsers read (language.yaml).
/// The role name, its version and its input fields travel with every call (see Models.CallContext);
/// the simulated pool answers from the fields, in the reply format below, and real models see only
/// the rendered prompt. Reply formats are contracts between the templates, their parsers and the
/// simulated pool: change them only together, and bump the role's version.
/// </summary>
public static class PromptRoles
{
    /// <summary>Listing 3. Fields: question (string), opinions (int). Reply: "Stance: yes|no|neutral" then
    /// "Key Points:" then numbered "N. point: justification" lines.</summary>
    public const string Opinion = "opinion";

    /// <summary>Batched judge. Fields: opinions (string[]), values ({code, name, definition}[]).
    /// Reply JSON: {"opinions":[{"index":1,"values":["code",...]}, ...]} (index is 1-based).</summary>
    public const string JudgeBatched = "judge_batched";

    /// <summary>Listing 4, the paper's judge: one opinion, one value. Fields: text (string), value ({code,name,definition}).
    /// Reply: "Yes" or "No".</summary>
    public const string JudgeValue = "judge_value";

    /// <summary>The values a question's own wording carries (disentanglement). Fields: question (string),
    /// values ({code,name,definition}[]). Reply JSON: {"values":["code",...]}.</summary>
    public const string JudgeQuestion = "judge_question";

    /// <summary>Listing 5, exploration step 1. Fields: general (string), examples ({question, score}[]), used_contexts (string[]).
    /// Reply: free reasoning ending with a line "[Information]: one new piece of specific context".</summary>
    public const string ExploreContext = "explore_context";

    /// <summary>Listing 6, exploration step 2. Fields: general (string), information (string).
    /// Reply: "[Argument]: ..." and "[Question]: one yes/no question".</summary>
    public const string ExploreQuestion = "explore_question";

    /// <summary>Listing 7 reflection. Fields: general, question (string), score (number), responses ({model, key_points[], values[]}[]).
    /// Reply: "[Suggestions]: ..." (free text, no question).</summary>
    public const string Reflect = "reflect";

    /// <summary>Listing 8 refinement. Fields: general, question, suggestions (string). Reply: "[Question]: one yes/no question".</summary>
    public const string Refine = "refine";

    /// <summary>Turns a general argument into a yes/no question. Fields: argument (string). Reply: "[Question]: ...".</summary>
    public const string SeedConvert = "seed_convert";

    /// <summary>Seed expansion (the paper's Listing 1, then Listing 2's conversion in the same reply). Fields: category (string,
    /// "" when the seeds have none), examples (string[]: general arguments of the category, the few-shot examples),
    /// count (int: how many new ones to propose), used (string[]: arguments already in the seed set, not to repeat).
    /// Reply: one numbered line per proposal, "N. [Argument]: a general controversial claim [Question]: its yes/no question?"
    /// (the two tags may also stand on two consecutive lines); other lines are ignored.</summary>
    public const string SeedExpand = "seed_expand";

    /// <summary>Safety filter. Fields: question (string). Reply: "safe" or "unsafe" (optionally followed by a reason).</summary>
    public const string Safety = "safety";

    /// <summary>A question translated for cross-lingual evaluation or seed translation, asked in the target language's
    /// template. Fields: text (string: the question), source, target (language tags). Reply: the translated question only.</summary>
    public const string Translate = "translate";
}
