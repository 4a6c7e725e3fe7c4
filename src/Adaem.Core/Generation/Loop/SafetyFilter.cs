using Adaem.Core.Prompts;
using Adaem.Core.Prompts.Languages;
using Microsoft.Extensions.AI;

namespace Adaem.Core.Generation;

/// <summary>
/// The optional safety model (generation.safety_model). A question it calls unsafe is dropped with the
/// reason; a question it cannot classify after the bounded re-asks is dropped too, since a safety filter
/// that cannot vouch for a question should not let it into a published benchmark. It asks in the generation's
/// language (English by default).
/// </summary>
public sealed class SafetyFilter(IChatClient client, string model, string run, string stage, PromptLanguage? language = null)
{
    public string Model => model;

    /// <summary>Null when the question is safe; otherwise the drop reason ("unsafe: ..." or "safety_failed: ...").</summary>
    /// <param name="sample">The first ask's sample index (see <see cref="StructuredReply.Sample"/>).</param>
    public async Task<string?> CheckAsync(string question, int sample, CancellationToken cancellationToken)
    {
        var asked = await StructuredReply
            .AskAsync(client, SafetyPrompt.Create(question, language), new CallSite(run, stage, sample), cancellationToken)
            .ConfigureAwait(false);
        if (!asked.Ok)
            return $"{DropReasons.SafetyFailed}: {model}: {asked.Error}";
        if (asked.Value!.Safe)
            return null;
        return $"{DropReasons.Unsafe}: {model}" + (asked.Value.Reason is { } r ? $": {r}" : "");
    }
}
