namespace Adaem.Providers.Engine;

/// <summary>
/// An endpoint as it may be stored, keyed and printed: never with a credential in it. Some gateways take
/// their key in the URL (<c>?api-key=...</c>, <c>?sig=...</c>), and users put <c>user:password@</c> in base
/// URLs; both are removed here, and this is the one place that knows how. The request itself still goes
/// to the URL as configured.
/// </summary>
public static class EndpointText
{
    /// <summary>What a credential's value is replaced with, so the text still shows that one was there.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Parts of a query parameter's name (case-insensitive) that mark its value as a credential.</summary>
    private static readonly string[] CredentialNames = ["key", "token", "secret", "sig", "signature", "password", "auth"];

    /// <summary>
    /// <paramref name="endpoint"/> without user info (user:password@) and with the value of every query
    /// parameter whose name contains key, token, secret, sig, signature, password or auth replaced by
    /// <see cref="Redacted"/>. An endpoint without credentials comes back unchanged, so cache keys made
    /// before this rule existed still match. Applying it twice changes nothing more.
    /// </summary>
    public static string WithoutCredentials(string endpoint)
    {
        var text = WithoutUserInfo(endpoint);
        var (head, query, fragment) = Split(text);
        if (query is null)
            return text;
        var parameters = query.Split('&');
        var changed = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var eq = parameters[i].IndexOf('=');
            if (eq < 0 || !IsCredentialName(parameters[i][..eq]))
                continue;
            if (parameters[i][(eq + 1)..] == Redacted)
                continue;
            parameters[i] = parameters[i][..(eq + 1)] + Redacted;
            changed = true;
        }
        return changed ? head + "?" + string.Join('&', parameters) + fragment : text;
    }

    /// <summary>
    /// The values of the credentials in <paramref name="endpoint"/>'s query and user info, as written and
    /// URL-decoded: secrets the scrubber must remove from any text, like the keys read from the environment.
    /// </summary>
    public static IReadOnlyList<string> CredentialValues(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint))
            return [];
        var values = new List<string>();
        var (_, query, _) = Split(endpoint);
        if (query is not null)
        {
            foreach (var p in query.Split('&'))
            {
                var eq = p.IndexOf('=');
                if (eq < 0 || !IsCredentialName(p[..eq]))
                    continue;
                AddWithDecoded(values, p[(eq + 1)..]);
            }
        }
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            // user:password gives the password; a user part alone is a token passed as the user name (https://TOKEN@gateway/v1).
            var colon = uri.UserInfo.IndexOf(':');
            AddWithDecoded(values, colon >= 0 ? uri.UserInfo[(colon + 1)..] : uri.UserInfo);
        }
        return values.Where(v => v.Length > 0 && v != Redacted).Distinct(StringComparer.Ordinal).ToList();
    }

    private static void AddWithDecoded(List<string> values, string raw)
    {
        values.Add(raw);
        var decoded = Uri.UnescapeDataString(raw.Replace('+', ' '));
        if (decoded != raw)
            values.Add(decoded);
    }

    /// <summary>True when a query parameter of this name (URL-encoded or not) carries a credential.</summary>
    public static bool IsCredentialName(string name)
    {
        var n = Uri.UnescapeDataString(name);
        return CredentialNames.Any(c => n.Contains(c, StringComparison.OrdinalIgnoreCase));
    }

    private static string WithoutUserInfo(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo))
            return endpoint;
        var b = new UriBuilder(uri) { UserName = "", Password = "" };
        return b.Uri.ToString();
    }

    /// <summary>The text before '?', the query (null when there is none) and the fragment with its '#'.</summary>
    private static (string Head, string? Query, string Fragment) Split(string text)
    {
        var hash = text.IndexOf('#');
        var fragment = hash < 0 ? "" : text[hash..];
        var rest = hash < 0 ? text : text[..hash];
        var q = rest.IndexOf('?');
        return q < 0 ? (rest, null, fragment) : (rest[..q], rest[(q + 1)..], fragment);
    }
}
