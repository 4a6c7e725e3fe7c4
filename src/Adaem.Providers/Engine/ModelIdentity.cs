namespace Adaem.Providers.Engine;

/// <summary>
/// Who answers a model's calls: the local name in the config (what the ledger and `adaem runs` show),
/// the provider kind, the endpoint identity (never a key) and the provider's model id (what the cache
/// key and the price list use).
/// </summary>
public sealed record ModelIdentity(string LocalName, string ProviderKind, string Endpoint, string ModelId);
