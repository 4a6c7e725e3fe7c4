namespace Adaem.Core.Prompts;

/// <summary>
/// What a parser made of one model reply: a value, or the reason it could not read one. Notes record
/// what the parser had to forgive (a missing stance, extra points, unknown labels) so a run can show
/// how clean the replies were without failing on every blemish.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1000:Do not declare static members on generic types",
    Justification = "Success and Failure are the record's factories; ReplyParse<Stance>.Failure(...) reads as what it makes."
)]
public sealed record ReplyParse<T>(bool Ok, T? Value, string? Error, IReadOnlyList<string> Notes)
{
    public static ReplyParse<T> Success(T value, IReadOnlyList<string>? notes = null) => new(true, value, null, notes ?? []);

    public static ReplyParse<T> Failure(string error, IReadOnlyList<string>? notes = null) => new(false, default, error, notes ?? []);
}

/// <summary>Helpers for parsers written as "the value, or null when the reply is unusable".</summary>
public static class ReplyParse
{
    /// <summary>The parser as a <see cref="ReplyParse{T}"/> parser: null becomes a failure with <paramref name="error"/> as its
    /// reason.</summary>
    public static Func<string, ReplyParse<T>> Require<T>(Func<string, T?> parse, string error)
        where T : class => reply => parse(reply) is { } value ? ReplyParse<T>.Success(value) : ReplyParse<T>.Failure(error);
}
