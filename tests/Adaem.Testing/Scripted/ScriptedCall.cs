namespace Adaem.Testing;

/// <summary>One call a scripted model answered: which model, role, sample and fields, and how many messages it saw.</summary>
/// <param name="Fields">The raw JSON of the call's fields (CallContext.Fields).</param>
public sealed record ScriptedCall(string Model, string Role, int Sample, string Fields, int Messages)
{
    /// <summary>Everything that identifies the call, in one string (tests compare sets of calls by it).</summary>
    public string Key => $"{Model}|{Role}|{Sample}|{Messages}|{Fields}";
}
