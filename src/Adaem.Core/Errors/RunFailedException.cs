namespace Adaem.Core.Errors;

/// <summary>A stage could not finish (exit code 1). The message says what failed and how to resume.</summary>
public class RunFailedException(string message, Exception? inner = null) : Exception(message, inner);
