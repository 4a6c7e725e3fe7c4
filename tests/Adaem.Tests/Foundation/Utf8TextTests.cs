using System.Text;
using Adaem.Core.Data;
using Adaem.Core.Errors;

namespace Adaem.Tests.Foundation;

/// <summary>Strict UTF-8: a byte order mark is fine, the first byte that is not UTF-8 is named with its line.</summary>
public sealed class Utf8TextTests
{
    [Fact]
    public void A_byte_order_mark_is_dropped_and_text_is_kept_exactly()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("a: caf\u00e9\nb: \u4e2d\u6587\n")];
        Assert.Equal("a: caf\u00e9\nb: \u4e2d\u6587\n", Utf8Text.Decode(bytes, "x.yaml"));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x0A, 0x62, 0xFF, 0x0A }, 2, "the byte 0xFF at position 2 of this line")]
    [InlineData(new byte[] { 0x0A, 0x0A, 0x0A, 0xE4, 0xB8 }, 4, "the byte 0xE4 at position 1 of this line")] // a sequence cut short at the end
    [InlineData(new byte[] { 0xC0, 0xAF }, 1, "the byte 0xC0 at position 1 of this line")] // an overlong encoding of '/'
    public void The_first_invalid_byte_is_named_with_its_line(byte[] bytes, int line, string message)
    {
        var e = Assert.Throws<InputException>(() => Utf8Text.Decode(bytes, "x.yaml"));
        var p = Assert.Single(e.Problems);
        Assert.Equal(line, p.Line);
        Assert.StartsWith(message, p.Message);
    }
}
