using System.Text;
using System.Text.RegularExpressions;
using Adaem.Core.Configuration;

namespace Adaem.Providers.Engine;

/// <summary>
/// Removes secrets from text before it is recorded or shown: the keys this process read from the
/// environment and any credential written into a base URL, any fragment of 8 or more characters of
/// them, plus anything shaped like an auth header or a provider key. Error bodies of providers often echo
/// the key, its tail ("...abcdef123456") or the header that carried it, so every error message passes
/// through here before it reaches the ledger, an exception or the console.
/// </summary>
public sealed partial class SecretScrubber
{
    public const string Redacted = "[redacted]";

    /// <summary>The shortest piece of a key that is removed wherever it appears.</summary>
    public const int FragmentLength = 8;

    /// <summary>Shorter values would redact ordinary words; keys this short are removed only whole.</summary>
    private const int ShortestSecret = 6;

    /// <summary>Secrets too short to have fragments (6–7 characters), longest first.</summary>
    private readonly string[] _short;

    /// <summary>Secrets of at least <see cref="FragmentLength"/> characters.</summary>
    private readonly string[] _long;

    /// <summary>Every window of <see cref="FragmentLength"/> characters of every long secret → where it occurs.</summary>
    private readonly Dictionary<string, List<(int Secret, int Offset)>> _windows = new(StringComparer.Ordinal);

    public SecretScrubber(IEnumerable<string?> secrets)
    {
        var all = secrets.Where(s => s is { Length: >= ShortestSecret }).Select(s => s!).Distinct(StringComparer.Ordinal).ToList();
        _short = all.Where(s => s.Length < FragmentLength).OrderByDescending(s => s.Length).ToArray();
        _long = all.Where(s => s.Length >= FragmentLength).ToArray();
        for (var k = 0; k < _long.Length; k++)
        {
            for (var o = 0; o + FragmentLength <= _long[k].Length; o++)
            {
                var window = _long[k].Substring(o, FragmentLength);
                if (!_windows.TryGetValue(window, out var at))
                    _windows[window] = at = [];
                at.Add((k, o));
            }
        }
    }

    public static SecretScrubber None { get; } = new([]);

    /// <summary>
    /// The secrets of a config's models: the value of every api_key_env as <paramref name="getEnvironment"/>
    /// reads it, and every credential written into a base_url or any of its replicas (query parameters such as api-key, user info).
    /// </summary>
    public static SecretScrubber For(AdaemConfig config, Func<string, string?> getEnvironment) =>
        new(
            config.Models.Values.SelectMany(m =>
                (m.ApiKeyEnv is { } env ? [getEnvironment(env)] : Array.Empty<string?>()).Concat(
                    m.BaseUrls.Prepend(m.BaseUrl).Distinct().SelectMany(EndpointText.CredentialValues)
                )
            )
        );

    /// <summary>Removes the known secrets, their fragments, and anything shaped like an auth header or a provider key (for error texts of
    /// providers).</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        // Shapes first: a key-shaped token is removed whole before a fragment of a known key could split it.
        text = AuthHeader().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Redacted);
        text = KeyShaped().Replace(text, Redacted);
        return ScrubKnown(text);
    }

    /// <summary>
    /// Removes only the known secrets and their fragments: for adaem's own messages, where a phrase such as
    /// "write it as 'key: value'" is not a header and must stay readable.
    /// </summary>
    public string ScrubKnown(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        text = ScrubFragments(text);
        foreach (var s in _short)
            text = text.Replace(s, Redacted, StringComparison.Ordinal);
        return text;
    }

    /// <summary>
    /// One pass from left to right: where the next <see cref="FragmentLength"/> characters are a window of a
    /// secret, the match is extended as far as the text goes on agreeing with that secret, and the whole run
    /// is replaced. Scanning from the left finds each match at its start, since every 8 characters of a
    /// longer match are themselves a window. Cost: one hash look-up per character of the text.
    /// </summary>
    private string ScrubFragments(string text)
    {
        if (_windows.Count == 0 || text.Length < FragmentLength)
            return text;
        var lookup = _windows.GetAlternateLookup<ReadOnlySpan<char>>();
        StringBuilder? result = null;
        var copied = 0;
        var i = 0;
        while (i + FragmentLength <= text.Length)
        {
            if (!lookup.TryGetValue(text.AsSpan(i, FragmentLength), out var hits))
            {
                i++;
                continue;
            }
            var end = i + FragmentLength;
            foreach (var (k, offset) in hits)
            {
                var secret = _long[k];
                int j = i + FragmentLength,
                    o = offset + FragmentLength;
                while (j < text.Length && o < secret.Length && text[j] == secret[o])
                {
                    j++;
                    o++;
                }
                end = Math.Max(end, j);
            }
            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, i - copied).Append(Redacted);
            copied = i = end;
        }
        if (result is null)
            return text;
        return result.Append(text, copied, text.Length - copied).ToString();
    }

    // A value already redacted (an endpoint's "?token=[redacted]") is left as it is.
    [GeneratedRegex(
        @"(?<name>\b(?:authorization|proxy-authorization|x-api-key|api-key|api_key|apikey|key|x-goog-api-key|token|access_token)\b)(?<sep>[""']?\s*[:=]\s*[""']?)(?!\[redacted\])(?:bearer\s+|basic\s+)?[^\s""',;]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant
    )]
    private static partial Regex AuthHeader();

    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), and bearer tokens that providers print back.
    [GeneratedRegex(@"\b(?:sk-[A-Za-z0-9_\-]{12,}|Bearer\s+[A-Za-z0-9_\-\.=]{12,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
