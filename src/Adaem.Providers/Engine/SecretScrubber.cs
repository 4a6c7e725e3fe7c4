using System.Text.RegularExpressions;

namespace Adaem.Providers.Engine;

/// <summary>
/// Removes secrets from text before it is recorded or shown: the exact values of the keys this
/// process read from the environment, plus anything shaped like an auth header or a provider key.
/// Error bodies of providers often echo the key or the header that carried it, so every error
/// message passes through here before it reaches the ledger, an exception or the console.
/// </summary>
public sealed partial class SecretScrubber
{
    public const string Redacted = "[redacted]";

    private readonly string[] _secrets;

    public SecretScrubber(IEnumerable<string?> secrets)
    {
        // Longest first, so a key that contains another is removed whole. Very short values would
        // redact ordinary words; real keys are long.
        _secrets = secrets.Where(s => s is { Length: >= 6 }).SelectMany(s => Variants(s!)).Distinct().OrderByDescending(s => s.Length).ToArray();
    }

    /// <summary>
    /// The key and its tails after a leading prefix ("sk-", "sk-proj-", ...): services print keys back
    /// with their prefix cut off as often as whole. Tails shorter than 16 characters are too common to redact.
    /// </summary>
    private static IEnumerable<string> Variants(string secret)
    {
        yield return secret;
        for (var i = 0; i < Math.Min(secret.Length, 16); i++)
        {
            if (secret[i] is '-' or '_' && secret.Length - i - 1 >= 16) yield return secret[(i + 1)..];
        }
    }

    public static SecretScrubber None { get; } = new([]);

    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var s in _secrets) text = text.Replace(s, Redacted, StringComparison.Ordinal);
        text = AuthHeader().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Redacted);
        text = KeyShaped().Replace(text, Redacted);
        return text;
    }

    [GeneratedRegex(@"(?<name>\b(?:authorization|proxy-authorization|x-api-key|api-key|api_key|apikey|key|x-goog-api-key|token|access_token)\b)(?<sep>[""']?\s*[:=]\s*[""']?)(?:bearer\s+|basic\s+)?[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthHeader();

    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), and bearer tokens that providers print back.
    [GeneratedRegex(@"\b(?:sk-[A-Za-z0-9_\-]{12,}|Bearer\s+[A-Za-z0-9_\-\.=]{12,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
