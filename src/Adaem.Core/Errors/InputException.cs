namespace Adaem.Core.Errors;

/// <summary>One problem found in a user's file: where it is and how to fix it.</summary>
public sealed record InputProblem(string File, int? Line, string Message, string? Fix = null)
{
    public override string ToString()
    {
        var where = Line is { } l ? $"{File}:{l}" : File;
        return Fix is null ? $"{where}: {Message}" : $"{where}: {Message} Fix: {Fix}";
    }
}

/// <summary>
/// Bad usage, configuration or input. The CLI maps it to exit code 2; nothing already done is lost
/// because it is raised before any work of the failing stage is started or committed.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(IReadOnlyList<InputProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
    {
        Problems = problems;
    }

    public InputException(string file, int? line, string message, string? fix = null)
        : this([new InputProblem(file, line, message, fix)]) { }

    public IReadOnlyList<InputProblem> Problems { get; }
}
