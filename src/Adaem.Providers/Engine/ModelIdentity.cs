namespace Adaem.Providers.Engine;

/// <summary>
/// Who answers a model's calls: the local name in the config (what the ledger and `adaem runs` show),
/// the provider kind, the endpoint identity and the provider's model id (what the cache key and the price
/// list use). The endpoint is kept without credentials (<see cref="EndpointText.WithoutCredentials"/>)
/// however the identity is made, so nothing that stores or prints it can leak a key in a URL.
/// </summary>
public sealed record ModelIdentity(string LocalName, string ProviderKind, string Endpoint, string ModelId)
{
    private readonly string _endpoint = EndpointText.WithoutCredentials(Endpoint);

    /// <summary>The endpoint without user info and with credential query values redacted.</summary>
    public string Endpoint
    {
        get => _endpoint;
        init => _endpoint = EndpointText.WithoutCredentials(value);
    }
}
