using Adaem.Providers.Engine;

namespace Adaem.Tests.Providers;

/// <summary>Endpoints as they are stored and printed: credentials in the user info or the query never survive.</summary>
public sealed class EndpointTextTests
{
    [Theory]
    [InlineData("https://gw.example/v1?api-key=abc123", "https://gw.example/v1?api-key=[redacted]")]
    [InlineData("https://gw.example/v1?API_KEY=abc&model=x", "https://gw.example/v1?API_KEY=[redacted]&model=x")]
    [InlineData("https://x.blob.example/v1?sv=2024&sig=abc%2Bdef&se=1", "https://x.blob.example/v1?sv=2024&sig=[redacted]&se=1")]
    [InlineData(
        "https://gw.example/v1?access_token=t&Signature=s&client_secret=c&password=p&auth=a",
        "https://gw.example/v1?access_token=[redacted]&Signature=[redacted]&client_secret=[redacted]&password=[redacted]&auth=[redacted]"
    )]
    [InlineData("http://user:pw@127.0.0.1:9/v1?token=abc", "http://127.0.0.1:9/v1?token=[redacted]")]
    [InlineData("https://api.openai.com/v1", "https://api.openai.com/v1")]
    [InlineData("http://127.0.0.1:8000/v1/?region=eu", "http://127.0.0.1:8000/v1/?region=eu")]
    [InlineData("simulated:0123abcd", "simulated:0123abcd")]
    public void Credentials_are_redacted_and_everything_else_is_kept(string endpoint, string expected)
    {
        Assert.Equal(expected, EndpointText.WithoutCredentials(endpoint));
        Assert.Equal(expected, EndpointText.WithoutCredentials(expected)); // idempotent
    }

    [Fact]
    public void The_values_of_credentials_are_known_as_written_and_decoded()
    {
        var values = EndpointText.CredentialValues("http://u:pa55word@h/v1?sig=abc%2Bdef&api-key=k1&model=m");
        Assert.Equal(["abc%2Bdef", "abc+def", "k1", "pa55word"], values);
    }

    /// <summary>A token given as the user part alone (no password) is a credential too: the scrubber must learn it, or a gateway
    /// that echoes it in an error body puts it in the ledger and on stderr.</summary>
    [Fact]
    public void A_token_given_as_the_user_part_alone_is_known_and_scrubbed()
    {
        const string endpoint = "https://gw-t0k3n%2Fxyz@gateway.example/v1";
        Assert.Equal(["gw-t0k3n%2Fxyz", "gw-t0k3n/xyz"], EndpointText.CredentialValues(endpoint));
        Assert.Equal("https://gateway.example/v1", EndpointText.WithoutCredentials(endpoint));

        var scrubber = new SecretScrubber(["gw-t0k3n/xyz"]);
        Assert.DoesNotContain("t0k3n", scrubber.Scrub("HTTP 401: unknown token gw-t0k3n/xyz for this gateway"));
    }

    [Fact]
    public void A_model_identity_never_holds_a_credential_however_it_is_made()
    {
        var id = new ModelIdentity("m", "openai-compatible", "https://gw.example/v1?api-key=abc", "x");
        Assert.Equal("https://gw.example/v1?api-key=[redacted]", id.Endpoint);
        Assert.Equal("https://gw.example/v1?key=[redacted]", (id with { Endpoint = "https://gw.example/v1?key=zzz" }).Endpoint);
    }
}
