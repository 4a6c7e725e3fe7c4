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
