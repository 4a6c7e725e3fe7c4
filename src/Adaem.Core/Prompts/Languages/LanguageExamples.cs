namespace Adaem.Core.Prompts.Languages;

/// <summary>
/// A hand-written reply in a language's examples.yaml, for <c>adaem validate prompts</c>: the role's parser
/// must read it as written here (or refuse it, when <see cref="Fails"/>).
/// </summary>
/// <param name="Role">The prompt role (<see cref="PromptRoles"/>) whose parser reads it.</param>
/// <param name="Line">Its line in the file, for messages.</param>
public sealed record ExampleReply(string Role, string Reply, int Line)
{
    /// <summary>The parser must refuse the reply.</summary>
    public bool Fails { get; init; }

    /// <summary>The text read (context, question, suggestions), the stance (yes, no, neutral), the judge's answer (yes, no) or the verdict
    /// (safe, unsafe).</summary>
    public string? Expect { get; init; }

    /// <summary>Key points of an opinion, opinions of a batched judgment, proposals of a seed expansion.</summary>
    public int? Count { get; init; }

    /// <summary>The value codes read, one list per opinion (one list for the values of a question).</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Labels { get; init; }

    /// <summary>For a translation: the question the reply translates (a reply that only repeats it must be refused).</summary>
    public string? Source { get; init; }
}
