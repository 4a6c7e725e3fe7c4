using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Adaem.RunFiles;

/// <summary>
/// The lines of a JSON Lines file as UTF-8 bytes, numbered as <see cref="File.ReadLines(string)"/> numbers them (a line ends
/// at \n, \r or \r\n), read through one reused buffer: a responses.jsonl of 250 MB is neither decoded to UTF-16 nor held,
/// and a line nobody asks about is only searched for its end. A line's bytes are valid until the next line is read.
/// </summary>
internal static class JsonLines
{
    private const int InitialBuffer = 1 << 16;

    /// <summary>Every line of the file, blank ones included, without its line break.</summary>
    public static IEnumerable<(int Line, ReadOnlyMemory<byte> Bytes)> Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            int start = 0,
                end = Fill(stream, buffer, 0),
                lineNo = 0;
            if (Utf16Or32(buffer.AsSpan(0, end)))
            {
                // Not UTF-8: let the reader that knows every encoding decode it, line by line.
                foreach (var (n, bytes) in Decoded(path))
                    yield return (n, bytes);
                yield break;
            }
            if (buffer.AsSpan(0, end).StartsWith(Encoding.UTF8.Preamble))
                start = Encoding.UTF8.Preamble.Length;
            var eof = end == 0;
            while (true)
            {
                var at = buffer.AsSpan(start, end - start).IndexOfAny((byte)'\n', (byte)'\r');
                // A line break at the end of what is read may be half of \r\n: read on before deciding.
                if (at < 0 || (!eof && start + at == end - 1 && buffer[end - 1] == '\r'))
                {
                    if (eof)
                    {
                        if (start < end)
                            yield return (++lineNo, buffer.AsMemory(start, end - start));
                        yield break;
                    }
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    else if (end == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var read = Fill(stream, buffer, end);
                    eof = read == end;
                    end = read;
                    continue;
                }
                yield return (++lineNo, buffer.AsMemory(start, at));
                start += at + (buffer[start + at] == '\r' && start + at + 1 < end && buffer[start + at + 1] == '\n' ? 2 : 1);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The line trimmed of white space, as <see cref="string.Trim()"/> trims it, as UTF-8; empty for a blank line. The bytes
    /// themselves when they are valid UTF-8 and their ends plain ASCII, else the line decoded (invalid bytes replaced, as
    /// File.ReadLines replaces them), trimmed and encoded again.
    /// </summary>
    public static ReadOnlyMemory<byte> Trimmed(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        int first = 0,
            last = span.Length - 1;
        while (first <= last && span[first] < 0x80 && char.IsWhiteSpace((char)span[first]))
            first++;
        while (last >= first && span[last] < 0x80 && char.IsWhiteSpace((char)span[last]))
            last--;
        if (first > last)
            return ReadOnlyMemory<byte>.Empty;
        if (span[first] < 0x80 && span[last] < 0x80 && Utf8.IsValid(span[first..(last + 1)]))
            return line[first..(last + 1)];
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(span).Trim());
    }

    private static int Fill(Stream stream, byte[] buffer, int from)
    {
        var end = from;
        int n;
        while (end < buffer.Length && (n = stream.Read(buffer, end, buffer.Length - end)) > 0)
            end += n;
        return end;
    }

    /// <summary>A byte-order mark of UTF-16 or UTF-32 (either byte order).</summary>
    private static bool Utf16Or32(ReadOnlySpan<byte> head) =>
        head.StartsWith(Encoding.Unicode.Preamble)
        || head.StartsWith(Encoding.BigEndianUnicode.Preamble)
        || head.StartsWith(new UTF32Encoding(bigEndian: true, byteOrderMark: true).Preamble);

    private static IEnumerable<(int Line, ReadOnlyMemory<byte> Bytes)> Decoded(string path)
    {
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
            yield return (++lineNo, Encoding.UTF8.GetBytes(line));
    }
}
