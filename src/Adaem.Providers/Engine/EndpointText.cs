namespace Adaem.Providers.Engine;

/// <summary>An endpoint as it may be stored, keyed and printed: never with a credential in it.</summary>
public static class EndpointText
{
    /// <summary><paramref name="endpoint"/> without user info (user:password@).</summary>
    public static string WithoutCredentials(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.UserInfo)) return endpoint;
        var b = new UriBuilder(uri) { UserName = "", Password = "" };
        return b.Uri.ToString();
    }
}
