using Adaem.Providers.Engine;
using Xunit;

namespace Adaem.Tests.Providers;

public sealed class SecretScrubberTests
{
    [Theory]
    [InlineData("Incorrect API key provided: PLANTED-key-123456.", "Incorrect API key provided: [redacted].")]
    [InlineData("header Authorization: Bearer abc.def.ghi was rejected", "header Authorization: [redacted] was rejected")]
    [InlineData("x-api-key=zzzzzz; retry", "x-api-key=[redacted]; retry")]
    [InlineData("key sk-proj-abcdefghijklmnop0123 is revoked", "key [redacted] is revoked")]
    [InlineData("nothing secret here", "nothing secret here")]
    [InlineData("echo: abcdefghijklmnopqrstuvwxyz0123 (prefix cut)", "echo: [redacted] (prefix cut)")]
    public void Keys_and_auth_headers_are_removed(string text, string expected)
    {
        var s = new SecretScrubber(["PLANTED-key-123456", null, "abc", "sk-live-abcdefghijklmnopqrstuvwxyz0123"]);

        Assert.Equal(expected, s.Scrub(text));
    }
}

/// <summary>Pieces of a configured key: any 8 characters or more are removed, however they are cut.</summary>
public sealed class SecretFragmentTests
{
    private const string Key = "zq9Xc4Vb7Nm2Lk5Jh8Gf3Ds6Aa1Pw0Ee";
    private static readonly SecretScrubber Scrubber = new([Key, "short7x"]);

    [Theory]
    [InlineData("Incorrect API key provided: ...Ds6Aa1Pw0Ee.", "Incorrect API key provided: ...[redacted].")] // the last 11
    [InlineData("prefix zq9Xc4Vb7N... was refused", "prefix [redacted]... was refused")] // the first 10
    [InlineData("middle <Lk5Jh8Gf> piece", "middle <[redacted]> piece")] // exactly 8 from the middle
    [InlineData("two: Vb7Nm2Lk5J and Gf3Ds6Aa1P.", "two: [redacted] and [redacted].")]
    [InlineData("seven only: Lk5Jh8G.", "seven only: Lk5Jh8G.")] // 7 characters are not a fragment
    [InlineData("a short key short7x, whole", "a short key [redacted], whole")]
    [InlineData("overlapping zq9Xc4Vb7Nm2Lk5Jh8Gf3Ds6Aa1Pw0Eezq9Xc4Vb7N", "overlapping [redacted][redacted]")]
    public void Every_piece_of_8_or_more_characters_is_removed(string text, string expected) =>
        Assert.Equal(expected, Scrubber.Scrub(text));

    [Fact]
    public void Adaems_own_messages_keep_their_words_when_only_known_secrets_are_removed()
    {
        const string message = "adaem.yaml:3: 'models' must be a mapping of keys Fix: write it as 'key: value' (no Lk5Jh8Gf here)";
        Assert.Equal(
            "adaem.yaml:3: 'models' must be a mapping of keys Fix: write it as 'key: value' (no [redacted] here)",
            Scrubber.ScrubKnown(message)
        );
    }

    [Fact]
    public void A_config_scrubber_knows_the_environment_keys_and_the_credentials_of_base_urls()
    {
        var config = Adaem.Core.Configuration.ConfigLoader.Parse(
            """
            models:
              a: { provider: openai-compatible, base_url: "https://gw.example/v1?api-key=QueryKey12345678&x=1", model: m }
              b: { provider: openai, model: gpt-4o, api_key_env: SOME_VAR }
            """,
            "adaem.yaml"
        );
        var s = SecretScrubber.For(config, name => name == "SOME_VAR" ? "EnvKeyABCDEFGH1234" : null);

        Assert.Equal("[redacted] and [redacted]", s.ScrubKnown("Key12345 and KeyABCDEFG"));
    }
}
