using Adaem.Core.Errors;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;
using Adaem.RunFiles;

namespace Adaem.Pipeline;

/// <summary>
/// A release's questions were generated to elicit one value theory's values (the paper's §3.2 scores a question by
/// how well it separates models on those values); evaluating them under another theory is another measurement, so
/// the theory the manifest records must be the one the config evaluates with.
/// </summary>
internal static class ReleaseTheory
{
    /// <summary>Exit 2, before any call, when the manifest's theory fingerprint is not that of <paramref name="theory"/>.</summary>
    public static void Require(VerifiedBundle release, ValueTheory theory)
    {
        if (release.TheoryFingerprint is not { } recorded)
            return;
        var now = ItemIdentity.Theory(theory);
        if (string.Equals(recorded, now, StringComparison.OrdinalIgnoreCase))
            return;
        throw new InputException(
            release.ManifestPath,
            null,
            $"the release was made under theory '{release.TheoryCode ?? "?"}' (fingerprint {recorded[..Math.Min(16, recorded.Length)]}…), the config evaluates with '{theory.Code}' (fingerprint {now[..16]}…)",
            "set the config's 'theory:' to the release's theory (the same definitions), or pass questions.jsonl itself with --questions FILE to evaluate it as plain questions"
        );
    }
}
