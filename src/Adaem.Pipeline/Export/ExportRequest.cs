namespace Adaem.Pipeline;

/// <summary>What <see cref="Study.Export"/> writes.</summary>
/// <param name="What">questions, responses, scores, benchmark (a frozen release: questions.jsonl + manifest.json) or trace.</param>
/// <param name="Format">jsonl or csv (questions, responses, scores), json or text (trace); null for each kind's default.</param>
/// <param name="QuestionId">The question to trace (trace only).</param>
/// <param name="OwnFolder">The study's output folder was chosen for this export (--out): no lease is needed, and a release needs
/// one.</param>
public sealed record ExportRequest(string What, string? Format = null, string? QuestionId = null, bool OwnFolder = false)
{
    public static IReadOnlyList<string> Kinds { get; } = ["questions", "responses", "scores", "benchmark", "trace"];
}
