using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Adaem.Core.Configuration;
using Adaem.Core.Evaluation;
using Adaem.Core.Theory;

namespace Adaem.Providers.Simulated;

/// <summary>
/// Everything a simulated respondent's answers depend on, as the text its endpoint identity digests. The identity is
/// in every call's cache key, every answer's fingerprint and the run's instrument check, so anything that changes an
/// answer must change it: the respondent's code (<see cref="Version"/>), its embedded tables and language banks
/// (hashed), the theory's values as the respondent reads them (codes, names, definitions), the latent profile, the
/// noise, the seed it draws with (the configured one, else the one derived from the model's name) and the language
/// bias.
/// </summary>
internal static class SimulatorIdentity
{
    /// <summary>Raise when the respondent's code answers differently; its data files are covered by <see cref="DataHash"/>.</summary>
    public const int Version = 1;

    private static readonly Lazy<string> Data = new(HashData, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A SHA-256 over every embedded data/simulated file, in name order (name and content).</summary>
    public static string DataHash => Data.Value;

    /// <summary>The text the identity digests for <paramref name="model"/> answering in <paramref name="theory"/>.</summary>
    public static string Describe(ModelConfig model, ValueTheory theory)
    {
        var profile = model.Profile is null ? "" : Pairs(model.Profile);
        var bias = model.LanguageBias is null
            ? ""
            : string.Join(";", model.LanguageBias.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key + ":" + Pairs(b.Value)));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"simulator={Version};data={DataHash};theory={ItemIdentity.Theory(theory)};profile={profile};noise={model.Noise?.ToString("R", CultureInfo.InvariantCulture)};seed={SimulatedChatClient.SeedOf(model)};bias={bias}"
        );
    }

    private static string Pairs(IReadOnlyDictionary<string, double> values) =>
        string.Join(
            ",",
            values
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value.ToString("R", CultureInfo.InvariantCulture))
        );

    private static string HashData()
    {
        var assembly = typeof(SimulatorIdentity).Assembly;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (
            var name in assembly
                .GetManifestResourceNames()
                .Where(n => n.StartsWith("simulated/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
        )
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            sha.AppendData(copy.GetBuffer(), 0, (int)copy.Length);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
