namespace Adaem.Core.Prompts;

/// <summary>
/// What a parser made of one model reply: a value, or the reason it could not read one. Notes record
/// what the parser had to forgive (a missing stance, extra points, unknown labels) so a run can show
/// how clean the replies were without failing on every blemish.
/// </summary>
public sealed record ReplyParse<T>(bool Ok, T? Value, string? Error, IReadOnlyList<string> Notes)
{
    public static ReplyParse<T> Success(T value, IReadOnlyList<string>? notes = null) => new(true, value, null, notes ?? []);

    public static ReplyParse<T> Failure(string error, IReadOnlyList<string>? notes = null) => new(false, default, error, notes ?? []);
}
