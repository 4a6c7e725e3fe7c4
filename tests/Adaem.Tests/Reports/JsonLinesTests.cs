using System.Text;
using Adaem.RunFiles;
using Adaem.Tests.Support;
using Xunit;

namespace Adaem.Tests.Reports;

/// <summary>
/// responses.jsonl is read as UTF-8 bytes (<see cref="JsonLines"/>); the lines, their numbers and their trimmed text must be
/// the ones File.ReadLines and string.Trim gave, since errors name lines and the report finds answers by line number.
/// </summary>
public class JsonLinesTests
{
    public static TheoryData<string, byte[]> Files()
    {
        var utf8 = new UTF8Encoding(false);
        byte[] Bytes(string s) => utf8.GetBytes(s);
        var data = new TheoryData<string, byte[]>
        {
            { "line breaks of every kind, blank lines, a final CR", Bytes("a\nb\r\nc\rd\n\n  \t \n{\"x\":1}  \r") },
            { "no final line break", Bytes("{\"x\":1}\n{\"y\":2}") },
            { "empty", [] },
            { "a UTF-8 byte-order mark", [.. Encoding.UTF8.Preamble, .. Bytes("{\"x\":1}\r\n{\"y\":2}\n")] },
            { "white space of other scripts at the ends", Bytes("\u00a0{\"y\":\"é\"}\u2003\n\u3000\n{\"z\":\"ü\"}") },
            { "invalid UTF-8", [.. Bytes("{\"x\":\"a"), 0xff, 0xfe, .. Bytes("b\"}\n{\"y\":1}\n")] },
            { "a line far longer than the buffer", Bytes($"{{\"x\":\"{new string('k', 200_000)}\"}}\r\n{{\"y\":2}}\n") },
            { "UTF-16 with a byte-order mark", [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes("{\"x\":1}\r\n\n{\"y\":2}\n")] },
        };
        // A CR, or a CRLF split, at the end of the first buffer's worth of bytes (64 KiB).
        for (var n = 65_532; n <= 65_538; n++)
            data.Add($"a line break after {n} bytes", Bytes(new string('x', n) + "\r\n{\"y\":2}\r\r\n"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Lines_and_their_numbers_are_those_of_File_ReadLines(string what, byte[] content)
    {
        using var tmp = new TempDir();
        var path = tmp.Sub("responses.jsonl");
        File.WriteAllBytes(path, content);
        var expected = File.ReadLines(path).Select((line, i) => (Line: i + 1, Text: line.Trim())).ToList();
        var got = JsonLines.Read(path).Select(l => (l.Line, Text: Encoding.UTF8.GetString(JsonLines.Trimmed(l.Bytes).Span))).ToList();
        Assert.True(expected.SequenceEqual(got), what);
    }
}
